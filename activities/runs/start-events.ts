import {
  type Client,
  MONTHS,
  type ScheduleOptionsAction,
  type ScheduleSpec,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { ElementOfKind, ProcessGraph, TimerDefinition } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import type { RoutineVersion } from '../../schema/routine.ts';
import { evaluateFeel } from '../../workflows/feel.ts';
import { addDuration, durationMs, parseCycle, parseDateTime } from '../../workflows/navigator/timers.ts';
import { RoutineStore } from '../store/routine-store.ts';
import { runWorkflowId, runWorkflowStart } from './run-start.ts';

type StartEvent = ElementOfKind<'startEvent'>;

export interface RunStarter {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
}

/** The start events of a process's own scope whose trigger starts runs by itself (message, timer). */
function triggeredStarts(graph: ProcessGraph, kind: 'message' | 'timer'): StartEvent[] {
  return Object.values(graph.elements).filter(
    (element): element is StartEvent =>
      element.kind === 'startEvent' && element.scope === graph.id && element.trigger?.kind === kind,
  );
}

/** A start event's static name or timer value (the compiler keeps them as FEEL literals). */
function literal(expression: string): string {
  return String(evaluateFeel(expression, {}));
}

/**
 * Starts a run of every routine (latest version) whose process has a message start event for
 * `name`, as Zeebe does on publish. The message id makes the run id, so a repeat starts nothing.
 */
export async function startRunsOnMessage(
  starter: RunStarter,
  tenantId: string,
  message: { name: string; variables: Variables; messageId: string },
): Promise<string[]> {
  const routines = new RoutineStore(starter.db);
  const started: string[] = [];
  for (const { routine_id } of await routinesWithMessageStart(starter.db, tenantId, message.name)) {
    const routine = await routines.get(tenantId, routine_id);
    for (const graph of Object.values(routine.compiled.processes)) {
      for (const start of triggeredStarts(graph, 'message')) {
        const trigger = start.trigger as { name: string };
        if (literal(trigger.name) !== message.name) continue;
        const runId = `${routine.id}.${start.id}.${message.messageId}`.replace(/[^\w.-]/g, '-');
        if (await startOnce(starter, routine, graph, runId, start.id, message.variables)) started.push(runId);
      }
    }
  }
  return started;
}

async function routinesWithMessageStart(db: Kysely<Database>, tenantId: string, name: string) {
  const path =
    '$.processes.*.elements.* ? (@.kind == "startEvent" && @.trigger.kind == "message" && @.trigger.name == $name)';
  return db
    .selectFrom('routine_versions as v')
    .innerJoin('routines as r', (join) =>
      join
        .onRef('r.tenant_id', '=', 'v.tenant_id')
        .onRef('r.id', '=', 'v.routine_id')
        .onRef('r.active_version', '=', 'v.version'),
    )
    .select('v.routine_id')
    .where('v.tenant_id', '=', tenantId)
    .where(
      sql<boolean>`jsonb_path_exists(v.compiled, ${path}::jsonpath, jsonb_build_object('name', ${JSON.stringify(name)}::text))`,
    )
    .execute();
}

async function startOnce(
  starter: RunStarter,
  routine: RoutineVersion,
  graph: ProcessGraph,
  runId: string,
  startId: string,
  variables: Variables,
): Promise<boolean> {
  const { workflowType, ...options } = runWorkflowStart(routine, graph, {
    workflowId: runWorkflowId(runId),
    taskQueue: starter.taskQueue,
    variables,
    runId,
    startId,
  });
  try {
    await starter.temporal.workflow.start(workflowType, options);
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/**
 * Makes the routine's timer start events Temporal Schedules that start its runs (one schedule
 * per start event of the latest version; schedules of events that no longer exist are removed).
 */
export async function syncTimerStartSchedules(starter: Omit<RunStarter, 'db'>, routine: RoutineVersion) {
  const prefix = `routine:${routine.tenantId}:${routine.id}:`;
  const wanted = new Map<string, { graph: ProcessGraph; start: StartEvent }>();
  for (const graph of Object.values(routine.compiled.processes)) {
    for (const start of triggeredStarts(graph, 'timer'))
      wanted.set(`${prefix}${graph.id}:${start.id}`, { graph, start });
  }
  for await (const schedule of starter.temporal.schedule.list()) {
    if (schedule.scheduleId.startsWith(prefix))
      await starter.temporal.schedule.getHandle(schedule.scheduleId).delete();
  }
  for (const [scheduleId, { graph, start }] of wanted) {
    const { spec, remainingActions, dueNow } = scheduleSpec(start.trigger as TimerDefinition, Date.now());
    const { workflowType, ...options } = runWorkflowStart(routine, graph, {
      workflowId: runWorkflowId(`${routine.id}.${start.id}`),
      taskQueue: starter.taskQueue,
      variables: {},
      startId: start.id,
    });
    if (dueNow) {
      // As Zeebe: a start date already past fires at once (a schedule would never match it).
      const workflowId = `${options.workflowId}-${new Date().toISOString()}`;
      await starter.temporal.workflow.start(workflowType, { ...options, workflowId });
      continue;
    }
    const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType, ...options };
    await starter.temporal.schedule.create({
      scheduleId,
      spec,
      action,
      ...(remainingActions === undefined ? {} : { state: { remainingActions } }),
    });
  }
  return [...wanted.keys()];
}

/** A timer start's ISO 8601 value as a schedule: a date fires once, a cycle every interval (Rn: n times). */
export function scheduleSpec(
  timer: TimerDefinition,
  nowMs: number,
): { spec: ScheduleSpec; remainingActions?: number; dueNow?: boolean } {
  const value = literal(timer.expression);
  if (timer.type !== 'cycle') {
    const atMs = timer.type === 'date' ? parseDateTime(value) : nowMs + durationMs(value, nowMs);
    // A calendar matches whole seconds: a date within the next second is as good as past.
    const dueNow = atMs < nowMs + 1000;
    return { spec: { calendars: [calendarAt(new Date(atMs))] }, remainingActions: 1, dueNow };
  }
  const cycle = parseCycle(value);
  const startMs = cycle.startMs ?? nowMs;
  const every = addDuration(startMs, cycle.interval) - startMs;
  return {
    // The offset aligns the epoch-based interval grid with the cycle's start.
    spec: {
      intervals: [{ every, offset: startMs % every }],
      ...(cycle.startMs === undefined ? {} : { startAt: new Date(startMs) }),
    },
    ...(Number.isFinite(cycle.repetitions) ? { remainingActions: cycle.repetitions } : {}),
  };
}

function calendarAt(at: Date) {
  return {
    year: at.getUTCFullYear(),
    month: MONTHS[at.getUTCMonth()] as (typeof MONTHS)[number],
    dayOfMonth: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
  };
}
