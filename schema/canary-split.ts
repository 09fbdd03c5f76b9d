/**
 * Whether a new run starts the canary version: `percent` of run ids, chosen by a hash of the id, so
 * the same run id always lands on the same side.
 */
export function startsCanary(runId: string, percentOfRuns: number): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100 < percentOfRuns;
}
