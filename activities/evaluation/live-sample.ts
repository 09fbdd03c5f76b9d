/**
 * Which production runs a routine's `evaluation.liveSample` ratio picks for live scoring: a run is
 * sampled when a hash of its id, as a fraction of [0, 1), is below the ratio. Pure and without
 * randomness, so the decision is the same on every retry and every replica, and a test can name
 * the expected subset: ratio 1 picks every run, 0 none.
 */
export function isSampledForLiveScoring(runId: string, ratio: number): boolean {
  return runIdFraction(runId) < ratio;
}

/** The run id's FNV-1a 32-bit hash as a fraction in [0, 1). */
export function runIdFraction(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}
