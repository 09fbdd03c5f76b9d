import { cpuSnapshot, type MeteredProcess } from './cpu.ts';
import { runClosedLoop } from './load.ts';
import { perSecond } from './stats.ts';

/** One side of a comparison: a job that runs one execution and returns its workflow id, if any. */
export interface Variant {
  label: string;
  /** `measured` is false for warm-up runs. */
  run(measured: boolean): Promise<string | undefined>;
  /** The processes whose CPU time counts for this variant (its worker, the server, the client). */
  processes: MeteredProcess[];
}

export interface VariantResult {
  completed: number;
  failures: string[];
  elapsedMs: number;
  durationsMs: number[];
  workflowIds: string[];
  /** CPU time per completed run, by process label. */
  cpuMsPerRun: Map<string, number>;
  runsPerSecond: number;
}

export interface RoundsOptions {
  concurrency: number;
  warmup: number;
  rounds: number;
  roundMs: number;
  jobTimeoutMs: number;
}

/** No round starts more runs than this, however fast the variant. */
const maxRunsPerRound = 100_000;

/**
 * Measures variants in alternating rounds (A B C, A B C, …) so that drift and noise (a growing
 * server database, other load on the machine) spread evenly over them. Warm-up runs are not counted.
 */
export async function measureRounds(
  variants: readonly Variant[],
  options: RoundsOptions,
  log: (line: string) => void,
): Promise<Map<string, VariantResult>> {
  const loop = (maxRuns: number, maxMs: number) => ({
    concurrency: options.concurrency,
    jobTimeoutMs: options.jobTimeoutMs,
    maxRuns,
    maxMs,
  });
  const results = new Map<string, VariantResult>();
  const cpuTotals = new Map<string, Map<string, number>>();
  for (const variant of variants) {
    const warm = await runClosedLoop(loop(options.warmup, Number.POSITIVE_INFINITY), async () => {
      await variant.run(false);
    });
    if (warm.failures.length > 0) throw new Error(`${variant.label} fails in warm-up: ${warm.failures[0]}`);
    results.set(variant.label, emptyResult());
    cpuTotals.set(variant.label, new Map());
  }
  for (let round = 0; round < options.rounds; round += 1) {
    for (const variant of variants) {
      const result = results.get(variant.label) ?? emptyResult();
      const before = await cpuSnapshot(variant.processes);
      const load = await runClosedLoop(loop(maxRunsPerRound, options.roundMs), async () => {
        const workflowId = await variant.run(true);
        if (workflowId !== undefined) result.workflowIds.push(workflowId);
      });
      const after = await cpuSnapshot(variant.processes);
      const totals = cpuTotals.get(variant.label) ?? new Map<string, number>();
      for (const [label, used] of after)
        totals.set(label, (totals.get(label) ?? 0) + used - (before.get(label) ?? 0));
      result.completed += load.durationsMs.length;
      result.failures.push(...load.failures);
      result.elapsedMs += load.elapsedMs;
      result.durationsMs.push(...load.durationsMs);
      result.runsPerSecond = perSecond(result.completed, result.elapsedMs);
      result.cpuMsPerRun = new Map(
        [...totals].map(([label, used]) => [label, used / Math.max(1, result.completed)]),
      );
      log(
        `  ${variant.label}: ${perSecond(load.durationsMs.length, load.elapsedMs).toFixed(1)} runs/s at concurrency ${options.concurrency}` +
          (load.failures.length > 0 ? `, ${load.failures.length} failed (${load.failures[0]})` : ''),
      );
    }
  }
  return results;
}

function emptyResult(): VariantResult {
  return {
    completed: 0,
    failures: [],
    elapsedMs: 0,
    durationsMs: [],
    workflowIds: [],
    cpuMsPerRun: new Map(),
    runsPerSecond: Number.NaN,
  };
}
