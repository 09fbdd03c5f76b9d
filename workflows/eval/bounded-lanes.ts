/**
 * Runs `work` for every item, at most `limit` at a time, in the items' order: `limit` lanes each
 * take the next item when their last one is done. Deterministic in a workflow. `work` should not
 * throw: the first failure rejects the whole while other lanes go on.
 */
export async function forEachInLanes<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index] as T, index);
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
