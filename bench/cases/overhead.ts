import { randomUUID } from 'node:crypto';
import type { SequenceInput } from '../baseline/workflows.ts';
import type { CaseContext } from '../case-context.ts';
import type { MeteredProcess } from '../cpu.ts';
import { taskQueue } from '../environment.ts';
import { pooled, type StepTimings } from '../history.ts';
import { linearBpmn } from '../models/bpmn.ts';
import { sequenceRoutine } from '../models/sequence.ts';
import { incrementHeaders, STEP_TASK_TYPE } from '../models/step.ts';
import type { BenchPlan } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';
import { runBaseline, runRoutine, sampledHistorySize, sampledStepTimings } from '../runs.ts';
import { percentile } from '../stats.ts';
import { measureRounds, type Variant, type VariantResult } from '../variants.ts';
import type { WorkerProcess } from '../worker/process.ts';

const jobTimeoutMs = 120_000;
const historySizeSample = 5;

interface Side {
  /** Median history of one run (the parent only; every variant here is one workflow). */
  history: { events: number; bytes: number };
  loaded: VariantResult;
  loadedTimings: StepTimings;
  unloaded: VariantResult;
  unloadedTimings: StepTimings;
}

/**
 * Case 1: what Swarmflow's orchestration costs over the floor Temporal sets. A sequence routine
 * and the same as BPMN against a hand-written workflow calling the same activities (Swarmflow's
 * executeStep with its read-model row, and the run's start and end rows), and against one calling
 * the bare step work. Throughput at a fixed concurrency; step latency from runs one at a time.
 */
export async function overheadCase(
  { env, resources, log }: CaseContext,
  plan: BenchPlan['overhead'],
): Promise<CaseRow[]> {
  const { steps } = plan;
  const swarmflowQueue = taskQueue('overhead-swarmflow');
  const baselineQueue = taskQueue('overhead-baseline');
  const client = await resources.openClient(swarmflowQueue);
  await client.registerRoutine(sequenceRoutine('bench_sequence', steps));
  await client.registerRoutine({
    id: 'bench_bpmn',
    body: { kind: 'bpmn', xml: linearBpmn('bench_linear', steps) },
  });
  const [swarmflowWorker, baselineWorker] = await Promise.all([
    resources.startWorker('swarmflow', swarmflowQueue),
    resources.startWorker('baseline', baselineQueue),
  ]);
  const processes = (worker: WorkerProcess): MeteredProcess[] => [
    { label: 'worker', pid: worker.pid },
    { label: 'server', pid: env.serverPid },
    { label: 'client', pid: process.pid },
  ];

  const input = { counter: 0 };
  const expected = { counter: steps };
  const work = { kind: 'service' as const, taskType: STEP_TASK_TYPE, headers: incrementHeaders('counter') };
  const baseline = (label: string, mode: SequenceInput['mode']): Variant => ({
    label,
    processes: processes(baselineWorker),
    run: () =>
      runBaseline(
        client.temporal,
        baselineQueue,
        { runId: randomUUID(), steps, work, variables: input, mode },
        expected,
      ),
  });
  const variants = {
    sequence: {
      label: `Swarmflow sequence-${steps}`,
      processes: processes(swarmflowWorker),
      run: () => runRoutine(client, 'bench_sequence', input, expected),
    },
    bpmn: {
      label: `Swarmflow BPMN-${steps}`,
      processes: processes(swarmflowWorker),
      run: () => runRoutine(client, 'bench_bpmn', input, expected),
    },
    full: baseline('hand-written, same activities', 'activities'),
    local: baseline('hand-written, same activities as local activities', 'local'),
    bare: baseline('hand-written, bare step work', 'bare'),
  } satisfies Record<string, Variant>;
  const all = Object.values(variants);

  log(
    `case 1: ${plan.rounds} rounds of ${plan.roundMs / 1000} s per variant at concurrency ${plan.concurrency}`,
  );
  const loaded = await measureRounds(all, { ...plan, jobTimeoutMs }, log);
  log(`case 1: ${plan.sequentialMs / 1000} s per variant, one run at a time`);
  const unloaded = await measureRounds(
    all,
    { concurrency: 1, warmup: 0, rounds: 1, roundMs: plan.sequentialMs, jobTimeoutMs },
    log,
  );
  const side = async (variant: Variant, activity: string): Promise<Side> => {
    const pick = (results: Map<string, VariantResult>) => {
      const result = results.get(variant.label);
      if (!result) throw new Error(`no result for ${variant.label}`);
      return result;
    };
    const timings = async (result: VariantResult) =>
      pooled(await sampledStepTimings(client.temporal, result.workflowIds, activity, plan.historySample));
    const loadedResult = pick(loaded);
    const unloadedResult = pick(unloaded);
    return {
      history: await sampledHistorySize(client.temporal, loadedResult.workflowIds, historySizeSample),
      loaded: loadedResult,
      loadedTimings: await timings(loadedResult),
      unloaded: unloadedResult,
      unloadedTimings: await timings(unloadedResult),
    };
  };
  // Swarmflow meters its steps (usage charged to the run's budget); the floor calls the plain step.
  const sequence = await side(variants.sequence, 'executeMeteredStep');
  const bpmn = await side(variants.bpmn, 'executeMeteredStep');
  const full = await side(variants.full, 'executeStep');
  const bare = await side(variants.bare, 'bareStep');
  // Local activities leave markers, not activity events, in the history: no step timings.
  const local = await side(variants.local, 'executeStep');
  const name = (swarmflow: string, baselineLabel: string) =>
    `1 orchestration: ${swarmflow}-${steps} vs hand-written (${baselineLabel})`;
  return [
    ...comparison(name('sequence', 'same activities'), sequence, full, plan.concurrency),
    ...comparison(name('BPMN', 'same activities'), bpmn, full, plan.concurrency),
    ...pick(comparison(name('sequence', 'bare step work, no read model'), sequence, bare, plan.concurrency), [
      'throughput',
      'run latency',
      'step latency p50',
      'worker CPU',
    ]),
    ...pick(
      comparison(name('sequence', 'same activities as local activities'), sequence, local, plan.concurrency),
      ['throughput', 'run latency', 'worker CPU', 'Temporal server CPU', 'history'],
    ),
  ];
}

/** The rows whose metric starts with one of `metrics`. */
function pick(rows: CaseRow[], metrics: string[]): CaseRow[] {
  return rows.filter((line) => metrics.some((metric) => line.metric.startsWith(metric)));
}

function comparison(name: string, swarmflow: Side, baseline: Side, concurrency: number): CaseRow[] {
  const both = (metric: string, unit: string, value: (side: Side) => number) =>
    row(name, metric, value(swarmflow), value(baseline), unit);
  const cpu = (side: Side, process: string) => side.loaded.cpuMsPerRun.get(process) ?? Number.NaN;
  return [
    both(`throughput at concurrency ${concurrency}`, 'runs/s', (side) => side.loaded.runsPerSecond),
    both('run latency p50, one run at a time', 'ms', (side) => percentile(side.unloaded.durationsMs, 50)),
    both('step latency p50, one run at a time', 'ms', (side) => percentile(side.unloadedTimings.stepMs, 50)),
    both('step latency p95, one run at a time', 'ms', (side) => percentile(side.unloadedTimings.stepMs, 95)),
    both('step orchestration p50, one run at a time', 'ms', (side) =>
      percentile(side.unloadedTimings.orchestrationMs, 50),
    ),
    both('step orchestration p95, one run at a time', 'ms', (side) =>
      percentile(side.unloadedTimings.orchestrationMs, 95),
    ),
    both(`step orchestration p95 at concurrency ${concurrency}`, 'ms', (side) =>
      percentile(side.loadedTimings.orchestrationMs, 95),
    ),
    both('worker CPU per run', 'ms', (side) => cpu(side, 'worker')),
    both('Temporal server CPU per run', 'ms', (side) => cpu(side, 'server')),
    both('client CPU per run', 'ms', (side) => cpu(side, 'client')),
    both('history events per run', 'events', (side) => side.history.events),
    both('history size per run', 'KiB', (side) => side.history.bytes / 1024),
    both('failed runs', 'runs', (side) => side.loaded.failures.length + side.unloaded.failures.length),
  ];
}
