export interface LoadResult {
  /** Wall time of each job that succeeded, in milliseconds. */
  durationsMs: number[];
  failures: string[];
  /** Wall time from the first job's start to the last job's end. */
  elapsedMs: number;
}

export interface LoadOptions {
  concurrency: number;
  /** No job starts after this many have started… */
  maxRuns: number;
  /** …or after this much time; jobs in flight then still finish. */
  maxMs: number;
  /** A job slower than this counts as failed (it is abandoned, not cancelled). */
  jobTimeoutMs: number;
}

/** Runs jobs in a closed loop: `concurrency` lanes each start the next job when theirs ends. */
export async function runClosedLoop(
  options: LoadOptions,
  job: (index: number) => Promise<void>,
): Promise<LoadResult> {
  const durationsMs: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const deadline = started + options.maxMs;
  let next = 0;
  const lane = async () => {
    while (next < options.maxRuns && performance.now() < deadline) {
      const index = next++;
      const jobStarted = performance.now();
      try {
        await withTimeout(job(index), options.jobTimeoutMs);
        durationsMs.push(performance.now() - jobStarted);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, options.maxRuns)) }, lane),
  );
  return { durationsMs, failures, elapsedMs: performance.now() - started };
}

/** Runs `job` once for each index below `total`, at most `concurrency` at a time; returns the failures. */
export async function forEachLimited(
  total: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<string[]> {
  const options = { concurrency, maxRuns: total, maxMs: Number.POSITIVE_INFINITY, jobTimeoutMs: 120_000 };
  return (await runClosedLoop(options, job)).failures;
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
