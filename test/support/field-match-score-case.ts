import type { ScoreCaseInput, ScoredCase } from '../../activities/evaluation/contract.ts';
import { canonicalJson } from '../../schema/canonical-json.ts';
import type { JsonValue } from '../../schema/json.ts';
import { NO_USAGE } from '../../schema/usage.ts';

/**
 * A real, minimal `scoreCase` for eval tests until the scorers are merged: the documented default
 * without an evaluation section, field match. The score is the share of the expected object's
 * fields whose values equal the output's (numbers exactly, nested values as canonical JSON); an
 * expected value that is no object scores 1 when it equals the whole output. Passes at 1. No
 * expected output: null, nothing to score by.
 */
export async function fieldMatchScoreCase(input: ScoreCaseInput): Promise<ScoredCase | null> {
  if (input.expected === undefined) return null;
  const { expected, output } = input;
  const same = (a: JsonValue | undefined, b: JsonValue | undefined) =>
    a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);
  let score: number;
  let reason: string;
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const fields = Object.keys(expected);
    const actual = output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {};
    const wrong = fields.filter(
      (field) => !same(expected[field], (actual as Record<string, JsonValue>)[field]),
    );
    score = fields.length === 0 ? 1 : (fields.length - wrong.length) / fields.length;
    reason =
      wrong.length === 0
        ? `all ${fields.length} expected fields match`
        : `${fields.length - wrong.length} of ${fields.length} expected fields match; differ: ${wrong.join(', ')}`;
  } else {
    score = same(expected, output) ? 1 : 0;
    reason =
      score === 1 ? 'the output equals the expected value' : 'the output differs from the expected value';
  }
  return {
    score,
    passed: score >= 1,
    reasons: [{ name: 'match', kind: 'match', score, weight: 1, reason }],
    steps: [],
    usage: { ...NO_USAGE },
  };
}

/** The activities a test worker registers for eval runs before the evaluation activities are merged. */
export const evalTestActivities = { scoreCase: fieldMatchScoreCase };
