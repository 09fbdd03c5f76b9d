// Names shared by the baseline's workflows (inside Temporal's sandbox) and the bench's client and workers.

/** The signal that releases a held baseline execution. */
export const RELEASE_SIGNAL = 'release';

/** The task queue of the bare step activity, beside the baseline's own queue. */
export function bareTaskQueue(taskQueue: string): string {
  return `${taskQueue}-bare`;
}
