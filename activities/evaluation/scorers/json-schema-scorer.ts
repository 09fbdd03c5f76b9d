import type { Scorer } from '../../../schema/evaluation.ts';
import type { JsonSchema, JsonValue } from '../../../schema/json.ts';
import { jsonSchemaProblems } from '../../../schema/json-schema.ts';
import { listed } from './values.ts';
import type { Verdict } from './verdict.ts';

type JsonSchemaScorer = Extract<Scorer, { kind: 'jsonSchema' }>;

/**
 * 1 when the output conforms to the scorer's schema (else the routine's or step's output
 * schema), 0 otherwise with every problem named by its field.
 */
export function scoreJsonSchema(
  scorer: JsonSchemaScorer,
  output: JsonValue,
  outputSchema: JsonSchema | undefined,
): Verdict {
  const schema = scorer.schema ?? outputSchema;
  if (schema === undefined)
    return { score: 0, reason: 'there is no JSON Schema to check the output against' };
  const problems = jsonSchemaProblems(schema, output);
  if (problems.length === 0) return { score: 1, reason: 'the output conforms to the schema' };
  return { score: 0, reason: `the output does not conform to the schema: ${listed(problems)}` };
}
