/** A variant's scores, one per case (the same cases, in the same order, for every variant). */
export interface ScoredVariant<T> {
  variant: T;
  scores: readonly number[];
}

/**
 * Pareto selection across cases (GEPA): the variants no other variant dominates. One dominates
 * another when it scores at least as well on every case and better on one. A case a variant has no
 * score for counts as 0. Of variants with identical scores the first is kept. Order is preserved.
 */
export function paretoFront<T>(variants: readonly ScoredVariant<T>[]): ScoredVariant<T>[] {
  const width = Math.max(0, ...variants.map((variant) => variant.scores.length));
  const padded = variants.map((variant) => Array.from({ length: width }, (_, i) => variant.scores[i] ?? 0));
  return variants.filter((_, index) => {
    const mine = padded[index] ?? [];
    return !padded.some((other, otherIndex) => {
      if (otherIndex === index) return false;
      if (sameScores(other, mine)) return otherIndex < index;
      return dominates(other, mine);
    });
  });
}

/** Whether `a` scores at least as well as `b` on every case and better on at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (const [i, score] of a.entries()) {
    const theirs = b[i] ?? 0;
    if (score < theirs) return false;
    if (score > theirs) better = true;
  }
  return better;
}

function sameScores(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((score, i) => score === b[i]);
}
