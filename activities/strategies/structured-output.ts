import type { JsonSchema, JsonValue } from '../../schema/json.ts';
import { jsonSchemaProblems } from '../../schema/json-schema.ts';
import type { ChatMessage, StructuredOutput } from '../../schema/models.ts';

/**
 * Structured output by instruction and validation, the same for every provider (local models
 * without JSON modes included): the model is told the schema, its answer is parsed and checked
 * with Ajv, and an invalid answer comes back with the message that asks for a corrected one.
 */
export function outputInstruction(schema: JsonSchema): string {
  return (
    'Answer with only a JSON value, no prose and no code fences, that matches this JSON Schema:\n' +
    JSON.stringify(schema)
  );
}

/** The conversation with the output instruction added to its system message (or a new one first). */
export function withOutputInstruction(messages: ChatMessage[], schema: JsonSchema): ChatMessage[] {
  const instruction = outputInstruction(schema);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', text: `${first.text}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', text: instruction }, ...messages];
}

/** The answer checked against the schema: its value, or the problems and the feedback message to send. */
export function checkOutput(schema: JsonSchema, text: string): StructuredOutput {
  const parsed = parseJsonAnswer(text);
  const problems = 'error' in parsed ? [parsed.error] : jsonSchemaProblems(schema, parsed.value);
  if (problems.length === 0 && 'value' in parsed) return { valid: true, value: parsed.value };
  return { valid: false, problems, feedback: outputFeedback(problems) };
}

/** The user message that tells the model why its output was refused and asks again. */
export function outputFeedback(problems: string[]): Extract<ChatMessage, { role: 'user' }> {
  return {
    role: 'user',
    text:
      `Your output was invalid: ${problems.join('; ')}. ` +
      'Answer again with only the corrected JSON value, matching the schema.',
  };
}

function parseJsonAnswer(text: string): { value: JsonValue } | { error: string } {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text.trim());
  try {
    return { value: JSON.parse(fenced?.[1] ?? text) as JsonValue };
  } catch (error) {
    return { error: `(root): the answer is not JSON (${(error as Error).message})` };
  }
}
