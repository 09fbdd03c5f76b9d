import { logWarning } from '../logging/activity-log.ts';

/**
 * Runs knowledge-base indexing that must not fail the work it follows (a run's or swarm's
 * bookkeeping): a failure, e.g. an unreachable embedding provider, is logged as a warning (the
 * activity's log, see logWarning) and swallowed. What it missed is added again by the next write of the same source or by
 * `swarmflow knowledge reindex`.
 */
export async function indexBestEffort(what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    logWarning(
      `could not add ${what} to the knowledge base: ${error instanceof Error ? error.message : String(error)}`,
      { error },
    );
  }
}
