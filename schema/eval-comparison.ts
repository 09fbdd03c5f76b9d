import { canonicalJson } from './canonical-json.ts';
import type { EvalComparison, EvalDetails } from './eval-run.ts';
import { pairedDifference, welchDifference } from './eval-statistics.ts';

/**
 * B's mean score minus A's with a 95% confidence interval. When both evals ran the same cases
 * (the same inputs, compared as canonical JSON, as many times each), the cases are paired by input
 * and the interval is a paired t interval of the per-case differences: the same case's difficulty
 * cancels out, so it is much narrower. Otherwise the evals are independent samples: Welch's t.
 */
export function compareEvals(routineId: string, a: EvalDetails, b: EvalDetails): EvalComparison {
  const pairs = pairByInput(a, b);
  const aScores = a.cases.map((evalCase) => evalCase.score);
  const bScores = b.cases.map((evalCase) => evalCase.score);
  const paired = pairs !== undefined;
  const interval = paired
    ? pairedDifference(
        pairs.map(([left]) => left),
        pairs.map(([, right]) => right),
      )
    : welchDifference(aScores, bScores);
  const side = (details: EvalDetails, scores: number[]) => ({
    version: details.version,
    evalId: details.evalId,
    score: details.score ?? 0,
    cases: scores.length,
  });
  return {
    routineId,
    a: side(a, aScores),
    b: side(b, bScores),
    difference: interval.difference,
    confidence: { level: 0.95, low: interval.low, high: interval.high },
    method: paired ? 'paired-t' : 'welch-t',
    pairs: pairs?.length ?? 0,
    significant: interval.low > 0 || interval.high < 0,
  };
}

/** [A's score, B's score] per case input, when both ran exactly the same inputs; else undefined. */
function pairByInput(a: EvalDetails, b: EvalDetails): [number, number][] | undefined {
  if (a.cases.length !== b.cases.length || a.cases.length === 0) return undefined;
  const waiting = new Map<string, number[]>();
  for (const evalCase of b.cases) {
    const key = canonicalJson(evalCase.input);
    waiting.set(key, [...(waiting.get(key) ?? []), evalCase.score]);
  }
  const pairs: [number, number][] = [];
  for (const evalCase of a.cases) {
    const scores = waiting.get(canonicalJson(evalCase.input));
    const partner = scores?.shift();
    if (partner === undefined) return undefined;
    pairs.push([evalCase.score, partner]);
  }
  return pairs;
}
