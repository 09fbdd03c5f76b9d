import type { Scorer } from '../../../schema/evaluation.ts';
import type { JsonValue } from '../../../schema/json.ts';
import { shown, valueAt } from './values.ts';
import type { Verdict } from './verdict.ts';

type NumericScorer = Extract<Scorer, { kind: 'numeric' }>;

/**
 * 1 when the output's number at `field` is within the tolerance of the expected one (a fraction of
 * it when `relative`), falling linearly to 0 at `falloff` times the tolerance; 0 when either is
 * not a number.
 */
export function scoreNumeric(scorer: NumericScorer, output: JsonValue, expected: JsonValue): Verdict {
  const { field } = scorer;
  const want = valueAt(expected, field);
  const got = valueAt(output, field);
  if (typeof want !== 'number') {
    return { score: 0, reason: `${field}: the expected output has no number here (${shown(want)})` };
  }
  if (typeof got !== 'number') return { score: 0, reason: `${field}: expected ${want}, got ${shown(got)}` };
  const tolerance = scorer.relative ? scorer.tolerance * Math.abs(want) : scorer.tolerance;
  const off = Math.abs(got - want);
  const within = scorer.relative ? `${scorer.tolerance * 100}% (±${tolerance})` : `±${tolerance}`;
  const subject = `${field}: expected ${want} ${within}, got ${got}`;
  if (off <= tolerance) return { score: 1, reason: `${subject}, within the tolerance` };
  const zeroAt = tolerance * scorer.falloff;
  const score = off >= zeroAt ? 0 : (zeroAt - off) / (zeroAt - tolerance);
  return {
    score,
    reason: `${subject}, off by ${roundForReason(off)} (${roundForReason(off / Math.max(tolerance, Number.EPSILON))}× the tolerance)`,
  };
}

function roundForReason(value: number): number {
  return Number(value.toPrecision(4));
}
