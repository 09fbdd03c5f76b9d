import type { Scorer } from '../../../schema/evaluation.ts';
import type { JsonValue } from '../../../schema/json.ts';
import { jsonEqual, listed, shown, valueAt } from './values.ts';
import type { Verdict } from './verdict.ts';

type MatchScorer = Extract<Scorer, { kind: 'match' }>;

/** The scorer a case with an expected output and no evaluation section is scored by. */
export const defaultMatchScorer: MatchScorer = { kind: 'match', mode: 'fields', weight: 1 };

/**
 * `exact`: 1 when the output deeply equals the expected one, else 0. `fields`: the share of the
 * expected fields (the scorer's dot paths, else every top-level field of the expected object)
 * whose values deeply equal the output's, numbers exactly. Reasons name each field that differs,
 * with what was expected and what came.
 */
export function scoreMatch(scorer: MatchScorer, output: JsonValue, expected: JsonValue): Verdict {
  const fields = scorer.fields ?? topLevelFields(expected);
  if (fields === undefined) {
    // A scalar or array expected output has no fields: it matches whole or not at all.
    return jsonEqual(output, expected)
      ? { score: 1, reason: 'the output equals the expected output' }
      : { score: 0, reason: `the output differs: expected ${shown(expected)}, got ${shown(output)}` };
  }
  const differing = fields.filter((field) => !jsonEqual(valueAt(output, field), valueAt(expected, field)));
  const differences = differing.map(
    (field) => `${field}: expected ${shown(valueAt(expected, field))}, got ${shown(valueAt(output, field))}`,
  );
  if (scorer.mode === 'exact') {
    if (jsonEqual(output, expected)) return { score: 1, reason: 'the output equals the expected output' };
    const extra = extraFields(output, expected);
    const why = [
      ...differences,
      ...extra.map((field) => `${field}: not expected, got ${shown(valueAt(output, field))}`),
    ];
    return { score: 0, reason: `the output differs from the expected output: ${listed(why)}` };
  }
  const matching = fields.length - differing.length;
  if (fields.length === 0) return { score: 1, reason: 'the expected output has no fields to compare' };
  const share = `${matching} of ${fields.length} expected fields match`;
  if (differing.length === 0) return { score: 1, reason: share };
  return { score: matching / fields.length, reason: `${share}; differing: ${listed(differences)}` };
}

function topLevelFields(expected: JsonValue): string[] | undefined {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return undefined;
  return Object.keys(expected);
}

/** Top-level fields of the output that the expected object does not have. */
function extraFields(output: JsonValue, expected: JsonValue): string[] {
  const expectedFields = new Set(topLevelFields(expected) ?? []);
  return (topLevelFields(output) ?? []).filter((field) => !expectedFields.has(field));
}
