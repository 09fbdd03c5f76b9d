import { assertionExpression, type Scorer } from '../../../schema/evaluation.ts';
import type { JsonValue, Variables } from '../../../schema/json.ts';
import { evaluateFeel, FeelError } from '../../../workflows/feel.ts';
import { shown } from './values.ts';
import type { Verdict } from './verdict.ts';

type FeelScorer = Extract<Scorer, { kind: 'feel' }>;

export interface FeelContext {
  input: Variables;
  output: JsonValue;
  expected?: JsonValue;
}

/**
 * The assertion evaluated over `input`, `output` and `expected`: true scores 1, false or null 0,
 * a number in [0, 1] is the score. An expression that fails scores 0 with the error as reason.
 */
export function scoreFeel(scorer: FeelScorer, context: FeelContext): Verdict {
  const expression = assertionExpression(scorer.assert);
  let value: JsonValue;
  try {
    value = evaluateFeel(expression, { ...context, expected: context.expected ?? null });
  } catch (error) {
    const message = error instanceof FeelError ? error.message : String(error);
    return { score: 0, reason: `the assertion could not be evaluated: ${message}` };
  }
  if (value === true) return { score: 1, reason: `"${expression}" holds` };
  if (typeof value === 'number' && value >= 0 && value <= 1) {
    return { score: value, reason: `"${expression}" gave ${value}` };
  }
  const outcome =
    value === false
      ? 'is false'
      : value === null
        ? 'gave null'
        : `gave ${shown(value)}, not true, false or a number in [0, 1]`;
  return { score: 0, reason: `"${expression}" ${outcome} for the output ${shown(context.output, 200)}` };
}
