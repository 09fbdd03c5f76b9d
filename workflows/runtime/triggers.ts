import { CancellationScope, sleep, workflowInfo } from '@temporalio/workflow';
import type { EventDefinition } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import type { MessageSubscription } from '../../schema/messages.ts';
import { bookkeeping } from '../effects.ts';
import { evaluateFeel, FeelError } from '../feel.ts';
import { RunIncident } from '../navigator/incident.ts';
import { timerPlan } from '../navigator/timers.ts';
import type { RunContext } from './run-context.ts';

export type CatchTrigger = Extract<EventDefinition, { kind: 'timer' | 'message' | 'signal' }>;

export function isCatchTrigger(trigger: EventDefinition | undefined): trigger is CatchTrigger {
  return trigger?.kind === 'timer' || trigger?.kind === 'message' || trigger?.kind === 'signal';
}

/** Waits until the trigger happens once and returns the variables it carries (a message's payload). */
export async function awaitTrigger(
  run: RunContext,
  elementId: string,
  trigger: CatchTrigger,
  variables: Variables,
  key: string,
): Promise<Variables> {
  if (trigger.kind === 'timer') {
    await sleepFor(firstDelay(elementId, trigger, variables));
    return {};
  }
  if (trigger.kind === 'signal') return run.inbox.waitForSignal(text(elementId, trigger.name, variables));
  return awaitMessage(run, elementId, trigger, variables, key);
}

/**
 * Calls `onFire` each time the trigger happens, until cancelled: once, or for a timer cycle
 * (on a non-interrupting boundary or event sub-process) on every repetition.
 */
export async function listen(
  run: RunContext,
  elementId: string,
  trigger: CatchTrigger,
  variables: Variables,
  key: string,
  repeat: boolean,
  onFire: (payload: Variables) => void,
): Promise<void> {
  if (!(repeat && trigger.kind === 'timer' && trigger.type === 'cycle')) {
    onFire(await awaitTrigger(run, elementId, trigger, variables, key));
    return;
  }
  const plan = planTimer(elementId, trigger, variables);
  await sleepFor(plan.firstDelayMs);
  onFire({});
  for (let fired = 1; fired < plan.repetitions; fired++) {
    await sleepFor(plan.intervalMs);
    onFire({});
  }
}

/** A durable timer; a timer already due fires at once. */
async function sleepFor(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

async function awaitMessage(
  run: RunContext,
  elementId: string,
  trigger: Extract<CatchTrigger, { kind: 'message' }>,
  variables: Variables,
  key: string,
): Promise<Variables> {
  const { workflowId } = workflowInfo();
  const subscription: MessageSubscription = {
    // Unique across runs: a mailbox keeps one subscription per id.
    subscriptionId: `${workflowId}:${key}`,
    workflowId,
    name: text(elementId, trigger.name, variables),
    correlationKey: text(elementId, trigger.correlationKey ?? '""', variables),
    processKey: `${run.scope.routine.tenantId}/${run.scope.routine.id}/${run.graph.id}`,
  };
  await bookkeeping.subscribeToMessage(subscription);
  try {
    return await run.inbox.waitForMessage(subscription.subscriptionId);
  } finally {
    await CancellationScope.nonCancellable(() => bookkeeping.unsubscribeFromMessage(subscription));
  }
}

function firstDelay(
  elementId: string,
  trigger: Extract<CatchTrigger, { kind: 'timer' }>,
  variables: Variables,
) {
  return planTimer(elementId, trigger, variables).firstDelayMs;
}

function planTimer(
  elementId: string,
  trigger: Extract<CatchTrigger, { kind: 'timer' }>,
  variables: Variables,
) {
  const value = text(elementId, trigger.expression, variables);
  try {
    return timerPlan(trigger.type, value, Date.now());
  } catch (error) {
    throw new RunIncident(elementId, `timer "${value}": ${error instanceof Error ? error.message : error}`);
  }
}

/** Evaluates a FEEL expression to a string (names, keys, timer values); numbers are printed. */
export function text(elementId: string, expression: string, variables: Variables): string {
  let value: unknown;
  try {
    value = evaluateFeel(expression, variables);
  } catch (error) {
    if (error instanceof FeelError) throw new RunIncident(elementId, error.message);
    throw error;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RunIncident(elementId, `"${expression}" must give a string, not ${JSON.stringify(value)}`);
}
