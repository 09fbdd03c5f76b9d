/** What a bench worker process runs: Swarmflow's worker, or the hand-written baseline's. */
export interface WorkerSpec {
  kind: 'swarmflow' | 'baseline';
  address: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  /** A workflow bundle built once by the bench, so a worker starts in about a second. */
  bundlePath: string;
  /** Set by `--max-cached-workflows`; the SDK's default (from the heap size) otherwise. */
  maxCachedWorkflows?: number;
}

/** Messages a worker process sends its parent. */
export type WorkerReport = { type: 'ready' } | { type: 'failed'; message: string };
