/**
 * How long each case measures. Phases are time-boxed, not counted, so that a loaded machine
 * makes the numbers worse but not the bench longer; `--quick` fits in three minutes on two cores.
 */
export interface BenchPlan {
  mode: 'quick' | 'full';
  /** Case 1: variants alternate in rounds at a fixed concurrency, then run one at a time for latency. */
  overhead: MeasuredPhases & { steps: number; sequentialMs: number; historySample: number };
  /** Case 2: fork shapes (branches × steps per branch). */
  parallel: MeasuredPhases & { shapes: { branches: number; steps: number }[] };
  /**
   * Case 3: how many executions are held at once and which Swarmflow waits hold them (each is
   * compared with the Temporal floor), and how many start or release calls are in flight.
   */
  held: { runs: HeldRun[]; callConcurrency: number };
  /** Case 4: the linear graph / routine of `steps` steps. */
  agentPeer: MeasuredPhases & { steps: number; historySample: number };
  /** Case 5: how long each engine runs the model, one instance at a time. */
  inMemory: { engineMs: number; swarmflowMs: number; warmup: number };
  /** Case 6: how many workflows of each bundle are created and kept. */
  creation: { count: number };
}

/** How many executions case 3 holds at once, and which Swarmflow waits hold them. */
export interface HeldRun {
  count: number;
  waits: ('userTask' | 'message')[];
}

export interface MeasuredPhases {
  concurrency: number;
  /** Unmeasured runs of each variant first. */
  warmup: number;
  rounds: number;
  /** How long each variant runs in each round. */
  roundMs: number;
}

export function benchPlan(quick: boolean): BenchPlan {
  return quick
    ? {
        mode: 'quick',
        overhead: {
          steps: 10,
          concurrency: 8,
          warmup: 2,
          rounds: 1,
          roundMs: 2_000,
          sequentialMs: 1_500,
          historySample: 10,
        },
        parallel: {
          shapes: [{ branches: 8, steps: 3 }],
          concurrency: 4,
          warmup: 1,
          rounds: 1,
          roundMs: 2_000,
        },
        held: { runs: [{ count: 50, waits: ['userTask'] }], callConcurrency: 50 },
        agentPeer: { steps: 5, concurrency: 8, warmup: 2, rounds: 1, roundMs: 2_000, historySample: 10 },
        inMemory: { engineMs: 2_000, swarmflowMs: 2_000, warmup: 2 },
        creation: { count: 100 },
      }
    : {
        mode: 'full',
        overhead: {
          steps: 10,
          concurrency: 8,
          warmup: 16,
          rounds: 3,
          roundMs: 10_000,
          sequentialMs: 15_000,
          historySample: 50,
        },
        parallel: {
          shapes: [
            { branches: 2, steps: 3 },
            { branches: 8, steps: 3 },
            { branches: 8, steps: 10 },
          ],
          concurrency: 4,
          warmup: 4,
          rounds: 2,
          roundMs: 12_000,
        },
        held: {
          runs: [
            { count: 1_000, waits: ['userTask', 'message'] },
            { count: 10_000, waits: ['userTask'] },
          ],
          callConcurrency: 50,
        },
        agentPeer: { steps: 5, concurrency: 8, warmup: 16, rounds: 3, roundMs: 10_000, historySample: 50 },
        inMemory: { engineMs: 15_000, swarmflowMs: 20_000, warmup: 4 },
        creation: { count: 500 },
      };
}
