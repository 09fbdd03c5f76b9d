import { maxOutcomeWaitMs } from '../../schema/api/operations.ts';
import type { AwaitOptions } from './swarmflow-api.ts';

/** The query of a run's or swarm's `…/outcome` operation. */
export interface OutcomeQuery {
  waitMs: number;
  untilParked: 'true' | 'false';
}

/**
 * Waits for a run's or a swarm's outcome by long-polling its `…/outcome` operation (`poll`), each
 * poll waiting up to the server's longest wait, until an answer is `done`.
 * @throws what `poll` throws, e.g. UnknownRunError or UnknownSwarmError.
 */
export async function awaitOutcome<T>(
  poll: (query: OutcomeQuery) => Promise<{ done: true; outcome: T } | { done: false }>,
  options: AwaitOptions = {},
): Promise<T> {
  const query: OutcomeQuery = {
    waitMs: maxOutcomeWaitMs,
    untilParked: options.untilParked ? 'true' : 'false',
  };
  for (;;) {
    const answer = await poll(query);
    if (answer.done) return answer.outcome;
  }
}
