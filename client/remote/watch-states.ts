import type { ProgressView } from './progress-changes.ts';
import type { WatchOptions } from './swarmflow-api.ts';

const defaultPollIntervalMs = 1_000;

/**
 * The states of a run or a swarm as they change: reads one at once (`read`), yields it, then
 * reads again every `pollIntervalMs` and yields each state whose `view.key` differs from the last
 * yielded one. Ends after yielding a state that shows the end, or, with `untilParked`, a wait
 * for a person; ends without yielding more when `signal` aborts. Breaking out of a `for await`
 * loop over it stops the polling: nothing is read after.
 * @throws what `read` throws (e.g. UnknownRunError), from the `next()` that read.
 */
export async function* watchStates<S>(
  read: () => Promise<S>,
  view: ProgressView<S>,
  options: WatchOptions = {},
): AsyncGenerator<S, void, undefined> {
  const { pollIntervalMs = defaultPollIntervalMs, untilParked = false, signal } = options;
  let lastKey: string | undefined;
  while (!signal?.aborted) {
    const state = await read();
    if (signal?.aborted) return;
    const key = view.key(state);
    if (key !== lastKey) {
      lastKey = key;
      yield state;
    }
    if (view.ended(state) || (untilParked && view.parked(state))) return;
    await pause(pollIntervalMs, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
