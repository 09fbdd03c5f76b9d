import type { Scorer, ScorerResult } from '../../../schema/evaluation.ts';

/** What one scorer concludes of one output: a score in [0, 1] and why, in words an optimizer can act on. */
export interface Verdict {
  score: number;
  reason: string;
}

/** The verdict as a scorer result, named and weighted like its scorer; the score clamped to [0, 1]. */
export function scorerResult(scorer: Scorer, verdict: Verdict): ScorerResult {
  return {
    name: scorer.name ?? scorer.kind,
    kind: scorer.kind,
    score: Math.min(1, Math.max(0, verdict.score)),
    weight: scorer.weight,
    reason: verdict.reason,
  };
}
