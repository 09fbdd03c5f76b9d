import type { CaseScore, ScorerResult } from '../../../schema/evaluation.ts';

/** The scorers' weighted mean, and whether it reaches `passScore`; no scorers score 0 and fail. */
export function compositeScore(reasons: ScorerResult[], passScore: number): CaseScore {
  const weight = reasons.reduce((sum, result) => sum + result.weight, 0);
  const raw =
    weight === 0 ? 0 : reasons.reduce((sum, result) => sum + result.score * result.weight, 0) / weight;
  // Rounded so that weights such as 0.1 + 0.2 do not make an all-passing case miss a pass score of 1.
  const score = Math.round(raw * 1e9) / 1e9;
  return { score, passed: reasons.length > 0 && score >= passScore, reasons };
}
