import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { SwarmflowClient } from '../../client/sdk.ts';
import { RELEASE_SIGNAL } from '../baseline/names.ts';
import type { heldWorkflow } from '../baseline/workflows.ts';
import type { CaseContext } from '../case-context.ts';
import { taskQueue } from '../environment.ts';
import { forEachLimited } from '../load.ts';
import { messageCatchBpmn, USER_TASK_ID, userTaskBpmn } from '../models/bpmn.ts';
import type { HeldRun } from '../plan.ts';
import { type CaseRow, row } from '../results.ts';
import type { WorkerSpec } from '../worker/spec.ts';

const holdMs = 1_000;
const pollMs = 250;
const memoryWatchMs = 1_000;
const drainTimeoutMs = 20 * 60_000;
const taskQueueTypes = { workflow: 1, activity: 2 } as const;
const releaseMessage = 'bench-release';

/** A kind of execution that waits durably until released. */
interface HeldExecutions {
  label: string;
  workerKind: WorkerSpec['kind'];
  /** The workflow type of the held executions (helpers such as message mailboxes are not counted). */
  workflowType: string;
  prepare(client: SwarmflowClient): Promise<void>;
  start(client: SwarmflowClient, taskQueue: string, id: string): Promise<void>;
  release(client: SwarmflowClient, id: string): Promise<void>;
}

/** The least a held execution costs on Temporal: a workflow waiting on a signal. */
const temporalFloor: HeldExecutions = {
  label: 'Temporal floor: a workflow waiting on a signal',
  workerKind: 'baseline',
  workflowType: 'heldWorkflow',
  async prepare() {},
  async start(client, queue, id) {
    await client.temporal.workflow.start<typeof heldWorkflow>('heldWorkflow', {
      taskQueue: queue,
      workflowId: `held/${id}`,
      args: [],
    });
  },
  async release(client, id) {
    await client.temporal.workflow.getHandle(`held/${id}`).signal(RELEASE_SIGNAL);
  },
};

/** Swarmflow runs parked on a BPMN user task, each completed through the SDK (a workflow update). */
const userTaskRuns: HeldExecutions = {
  label: 'Swarmflow runs on a user task, completed with completeTask',
  workerKind: 'swarmflow',
  workflowType: 'runWorkflow',
  async prepare(client) {
    await client.registerRoutine({
      id: 'bench_user_task',
      body: { kind: 'bpmn', xml: userTaskBpmn('bench_user_task') },
    });
  },
  async start(client, _queue, id) {
    await client.startRun({ routineId: 'bench_user_task', runId: id });
  },
  async release(client, id) {
    await client.completeTask(id, { elementId: USER_TASK_ID });
  },
};

/** Swarmflow runs parked on a BPMN message catch event, each released by a published message. */
const messageRuns: HeldExecutions = {
  label: 'Swarmflow runs on a message catch event, released with publishMessage',
  workerKind: 'swarmflow',
  workflowType: 'runWorkflow',
  async prepare(client) {
    const xml = messageCatchBpmn('bench_message', releaseMessage);
    await client.registerRoutine({ id: 'bench_message', body: { kind: 'bpmn', xml } });
  },
  async start(client, _queue, id) {
    await client.startRun({ routineId: 'bench_message', runId: id, input: { key: id } });
  },
  async release(client, id) {
    await client.publishMessage({ name: releaseMessage, correlationKey: id });
  },
};

const swarmflowWaits = { userTask: userTaskRuns, message: messageRuns };

/** Seconds are null where the executions did not get there within the drain timeout; MiB where the worker died. */
interface HeldMeasurement {
  startS: number;
  settledS: number | null;
  finishS: number | null;
  heldRssMiB: number | null;
  peakRssMiB: number | null;
  failures: number;
}

/**
 * Case 3: `count` executions held at once, then all released; Swarmflow runs waiting on a user
 * task or a message against the Temporal floor. Reports the time to start them, until the task
 * queues are drained (every execution is waiting), to release and finish them, the worker's
 * resident memory while they wait and at its peak (VmHWM), and executions that did not complete.
 * Each kind gets a fresh worker in its own process, so that its memory is its own. A kind that
 * does not drain within the timeout is reported as it stands, and the case goes on.
 */
export async function heldCase(
  context: CaseContext,
  { count, waits }: HeldRun,
  callConcurrency: number,
): Promise<CaseRow[]> {
  const floor = await measureHeld(context, temporalFloor, count, callConcurrency);
  const rows: CaseRow[] = [];
  for (const held of waits.map((wait) => swarmflowWaits[wait])) {
    const swarmflow = await measureHeld(context, held, count, callConcurrency);
    const name = `3 held: ${count} × ${held.label} vs ${temporalFloor.label}`;
    const both = (metric: string, unit: string, value: (side: HeldMeasurement) => number | null) =>
      rows.push(row(name, metric, value(swarmflow), value(floor), unit));
    both('time to start all', 's', (side) => side.startS);
    both('start rate', 'executions/s', (side) => count / side.startS);
    both('time until all are waiting (task queues drained)', 's', (side) => side.settledS);
    both('time to release and finish all', 's', (side) => side.finishS);
    both('worker RSS while all wait', 'MiB', (side) => side.heldRssMiB);
    both('worker peak RSS', 'MiB', (side) => side.peakRssMiB);
    both('executions that did not complete', 'executions', (side) => side.failures);
  }
  return rows;
}

/** Starts `count` executions of one kind on a fresh worker, holds them, releases them all. */
async function measureHeld(
  { env, resources, log }: CaseContext,
  held: HeldExecutions,
  count: number,
  callConcurrency: number,
): Promise<HeldMeasurement> {
  const queue = taskQueue(`held-${count}`);
  const client = await resources.openClient(queue);
  await held.prepare(client);
  const worker = await resources.startWorker(held.workerKind, queue);
  const memory = () => worker.memory().catch(() => undefined);
  // VmHWM cannot be read once the worker has died, so its peak is also sampled while it runs.
  let watchedPeakMiB: number | null = null;
  const watch = setInterval(async () => {
    const peak = (await memory())?.peakMiB;
    if (peak !== undefined) watchedPeakMiB = Math.max(peak, watchedPeakMiB ?? 0);
  }, memoryWatchMs).unref();
  const ids = Array.from({ length: count }, (_, index) => `${queue}-${index}`);
  log(`case 3: ${count} × ${held.label}`);
  const startedAt = performance.now();
  const startFailures = await forEachLimited(count, callConcurrency, (index) =>
    held.start(client, queue, ids[index] ?? ''),
  );
  const startS = seconds(startedAt);
  const alive = () => worker.exitStatus() === undefined;
  const settledS = await waitFor(
    () => queuesDrained(client.temporal, env.namespace, queue),
    startedAt,
    alive,
  );
  await sleep(holdMs);
  const heldRssMiB = (await memory())?.rssMiB ?? null;
  const releasedAt = performance.now();
  // Without a worker, a release that waits for the workflow (a user task's update) would only time out.
  const releaseFailures = alive()
    ? await forEachLimited(count, callConcurrency, (index) => held.release(client, ids[index] ?? ''))
    : [`not released: the worker ended (${worker.exitStatus()})`];
  const ofType = `TaskQueue = '${queue}' AND WorkflowType = '${held.workflowType}'`;
  const running = async () =>
    (await client.temporal.workflow.count(`${ofType} AND ExecutionStatus = 'Running'`)).count;
  const finishS = await waitFor(async () => (await running()) === 0, releasedAt, alive);
  const { count: completed } = await client.temporal.workflow.count(
    `${ofType} AND ExecutionStatus = 'Completed'`,
  );
  clearInterval(watch);
  const peakRssMiB = (await memory())?.peakMiB ?? watchedPeakMiB;
  const ended = worker.exitStatus();
  if (ended) log(`  the worker ended while its executions were held (${ended})`);
  await worker.stop();
  const measured = { startS, settledS, finishS, heldRssMiB, peakRssMiB, failures: count - completed };
  log(`  ${describe(measured)}`);
  const firstError = startFailures[0] ?? releaseFailures[0];
  if (firstError)
    log(`  ${startFailures.length} starts, ${releaseFailures.length} releases failed: ${firstError}`);
  return measured;
}

function describe(measured: HeldMeasurement): string {
  const time = (value: number | null) =>
    value === null ? 'never (timed out, or the worker ended)' : `${value.toFixed(1)} s`;
  const mib = (value: number | null) => (value === null ? '?' : value.toFixed(0));
  return (
    `started in ${measured.startS.toFixed(1)} s, all waiting after ${time(measured.settledS)}, released ` +
    `and finished after ${time(measured.finishS)}; worker RSS ${mib(measured.heldRssMiB)} MiB held, ` +
    `${mib(measured.peakRssMiB)} MiB peak; ${measured.failures} did not complete`
  );
}

/** Whether neither the workflow nor the activity task queue has a backlog (approximate, from the server). */
async function queuesDrained(client: Client, namespace: string, queue: string): Promise<boolean> {
  const backlogs = await Promise.all(
    Object.values(taskQueueTypes).map(async (taskQueueType) => {
      const response = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: queue },
        taskQueueType,
        reportStats: true,
      });
      return Number(response.stats?.approximateBacklogCount ?? 0);
    }),
  );
  return backlogs.every((backlog) => backlog === 0);
}

/**
 * Seconds from `since` until `done()` holds; null when it still does not after the drain timeout,
 * or once `alive()` says the worker that would make it hold has ended.
 */
async function waitFor(
  done: () => Promise<boolean>,
  since: number,
  alive: () => boolean,
): Promise<number | null> {
  const deadline = performance.now() + drainTimeoutMs;
  while (!(await done())) {
    if (performance.now() > deadline || !alive()) return null;
    await sleep(pollMs);
  }
  return seconds(since);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}
