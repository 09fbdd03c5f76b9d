/**
 * Runs knowledge-base indexing that must not fail the work it follows (a run's or swarm's
 * bookkeeping): a failure, e.g. an unreachable embedding provider, is written to stderr and
 * swallowed. What it missed is added again by the next write of the same source or by
 * `swarmflow knowledge reindex`.
 */
export async function indexBestEffort(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.warn(
      `swarmflow: could not add ${what} to the knowledge base: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
