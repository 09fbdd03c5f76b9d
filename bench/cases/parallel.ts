import type { Client } from '@temporalio/client';
import type { SwarmflowClient } from '../../client/sdk.ts';
import type { CaseContext } from '../case-context.ts';
import { taskQueue } from '../environment.ts';
import { forEachLimited } from '../load.ts';
import { branchVariable, forkBpmn } from '../models/bpmn.ts';
import type { BenchPlan } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';
import { runRoutine } from '../runs.ts';
import { percentile } from '../stats.ts';
import { measureRounds, type Variant, type VariantResult } from '../variants.ts';

const jobTimeoutMs = 180_000;
const historySample = 5;

/**
 * Case 2: a block-structured parallel fork whose branches run as child workflows against the same
 * fork run inside the parent (Swarmflow's default), for each fork shape of the plan.
 */
export async function parallelCase(
  { env, resources, log }: CaseContext,
  plan: BenchPlan['parallel'],
): Promise<CaseRow[]> {
  const queue = taskQueue('parallel');
  const client = await resources.openClient(queue);
  const worker = await resources.startWorker('swarmflow', queue);
  const processes = [
    { label: 'worker', pid: worker.pid },
    { label: 'server', pid: env.serverPid },
  ];
  const rows: CaseRow[] = [];
  for (const { branches, steps } of plan.shapes) {
    const shape = `${branches}×${steps}`;
    const input = Object.fromEntries(
      Array.from({ length: branches }, (_, index) => [branchVariable(index + 1), 0]),
    );
    const variant = async (children: boolean): Promise<Variant> => {
      const routineId = `bench_fork_${branches}x${steps}_${children ? 'children' : 'inline'}`;
      const xml = forkBpmn(routineId, branches, steps, children ? 'childWorkflows' : 'run');
      await client.registerRoutine({ id: routineId, body: { kind: 'bpmn', xml } });
      const expected = Object.fromEntries(Object.keys(input).map((name) => [name, steps]));
      return {
        label: `fork ${shape} ${children ? 'as child workflows' : 'inside the parent'}`,
        processes,
        run: () => runRoutine(client, routineId, input, expected),
      };
    };
    const children = await variant(true);
    const inline = await variant(false);
    log(
      `case 2: fork ${shape}, ${plan.rounds} rounds of ${plan.roundMs / 1000} s per variant at concurrency ${plan.concurrency}`,
    );
    const results = await measureRounds([children, inline], { ...plan, jobTimeoutMs }, log);
    const measured = async (variant: Variant) => {
      const result = results.get(variant.label);
      if (!result) throw new Error(`no result for ${variant.label}`);
      return { result, events: await historyEvents(client, result) };
    };
    const swarmflow = await measured(children);
    const baseline = await measured(inline);
    const name = `2 parallel: fork ${shape}, child workflows vs inside the parent`;
    const both = (metric: string, unit: string, value: (side: typeof swarmflow) => number) =>
      rows.push(row(name, metric, value(swarmflow), value(baseline), unit));
    both(`throughput at concurrency ${plan.concurrency}`, 'runs/s', (side) => side.result.runsPerSecond);
    both('run latency p50', 'ms', (side) => percentile(side.result.durationsMs, 50));
    both('run latency p95', 'ms', (side) => percentile(side.result.durationsMs, 95));
    both('worker CPU per run', 'ms', (side) => side.result.cpuMsPerRun.get('worker') ?? Number.NaN);
    both('Temporal server CPU per run', 'ms', (side) => side.result.cpuMsPerRun.get('server') ?? Number.NaN);
    both('history events per run (parent + children)', 'events', (side) => side.events.total);
    both('largest single history', 'events', (side) => side.events.largest);
    both('failed runs', 'runs', (side) => side.result.failures.length);
  }
  return rows;
}

/** History length of a few runs: all their workflows together, and the largest one alone. */
async function historyEvents(
  client: SwarmflowClient,
  result: VariantResult,
): Promise<{ total: number; largest: number }> {
  const picked = result.workflowIds.slice(0, historySample);
  const sizes: { total: number; largest: number }[] = [];
  const failures = await forEachLimited(picked.length, 4, async (index) => {
    const workflowId = picked[index] ?? '';
    const lengths = await familyHistoryLengths(client.temporal, workflowId);
    sizes.push({ total: lengths.reduce((sum, length) => sum + length, 0), largest: Math.max(...lengths) });
  });
  if (failures.length > 0) throw new Error(`could not read histories: ${failures[0]}`);
  return {
    total: percentile(
      sizes.map((size) => size.total),
      50,
    ),
    largest: percentile(
      sizes.map((size) => size.largest),
      50,
    ),
  };
}

/** The history lengths of a workflow and of every child workflow it started. */
async function familyHistoryLengths(client: Client, workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const childIds = events.flatMap(
    (event) => event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? [],
  );
  const children = await Promise.all(childIds.map((childId) => familyHistoryLengths(client, childId)));
  return [events.length, ...children.flat()];
}
