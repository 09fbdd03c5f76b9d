import { afterAll, beforeAll } from 'vitest';
import type { TaskTypeRegistry } from '../../../activities/task-types/registry.ts';
import { UserTaskNotOpenError } from '../../../client/run-update-errors.ts';
import type { Variables } from '../../../schema/json.ts';
import type { RunOutcome, RunState, TraceEntry } from '../../../schema/run.ts';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import { mailboxStateQuery, mailboxWorkflowId } from '../../../workflows/mailbox/definitions.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * What a conformance test file shares: one test stack, one worker, and helpers that run a
 * model and drive it from outside (messages, signals, user tasks, incidents) as a user would.
 */
export interface Conformance {
  readonly stack: TestStack;
  /** Registers `xml` as routine `conf-<id>` (the same content again is the same version). */
  register(id: string, xml: string): Promise<string>;
  /** Registers and starts a run; returns its run id. */
  start(id: string, xml: string, input?: Variables): Promise<string>;
  /** Registers, runs and waits for the run to end. */
  run(id: string, xml: string, input?: Variables): Promise<RunOutcome>;
  result(runId: string): Promise<RunOutcome>;
  /** Polls the run's live state until `accept` holds; fails naming `what` after `timeoutMs`. */
  waitForState(
    runId: string,
    what: string,
    accept: (state: RunState) => boolean,
    timeoutMs?: number,
  ): Promise<RunState>;
  /** Waits until a token is in `elementId`. */
  waitUntilActive(runId: string, elementId: string): Promise<RunState>;
  /** Waits until the run is parked on an incident. */
  waitForIncident(runId: string): Promise<RunState>;
  /** Waits until the mailbox of `name` + `correlationKey` holds a subscription of the run. */
  waitForSubscription(runId: string, name: string, correlationKey: string): Promise<void>;
  /** Waits until the run advertises that it waits for signal `name`. */
  waitForSignalWaiter(runId: string, name: string): Promise<void>;
  /** Completes an open user task through the SDK, waiting for it to open first. */
  completeTask(runId: string, elementId: string, output?: Variables): Promise<void>;
}

const pollMs = 100;
/** How long a wait may take: generous, as a loaded 2-core machine can stall a worker for many seconds. */
const waitMs = 30_000;

/** Starts the stack and (unless told otherwise) a worker before the file's tests, and stops them after. */
export function useConformance(
  options: { taskTypes?: TaskTypeRegistry; worker?: boolean } = {},
): Conformance {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack();
    if (options.worker === false) return;
    await stack.startWorker(options.taskTypes ? { taskTypes: options.taskTypes } : {});
  });
  afterAll(() => stack?.stop());
  const current = (): TestStack => {
    if (!stack) throw new Error('the conformance stack has not started');
    return stack;
  };
  const conformance: Conformance = {
    get stack() {
      return current();
    },
    async register(id, xml) {
      const routineId = `conf-${id}`;
      await current().client.registerRoutine({ id: routineId, body: { kind: 'bpmn', xml } });
      return routineId;
    },
    async start(id, xml, input = {}) {
      const routineId = await conformance.register(id, xml);
      const { runId } = await current().client.startRun({ routineId, input });
      return runId;
    },
    async run(id, xml, input = {}) {
      return conformance.result(await conformance.start(id, xml, input));
    },
    result(runId) {
      return current().client.awaitRun(runId);
    },
    async waitForState(runId, what, accept, timeoutMs = waitMs) {
      const deadline = Date.now() + timeoutMs;
      let state: RunState | undefined;
      for (;;) {
        state = await current().client.getRunState(runId);
        if (accept(state)) return state;
        const ended = !['running', 'incident', 'paused'].includes(state.status);
        if (ended || Date.now() > deadline) {
          const why = ended ? `the run ended (${state.status})` : `not in ${timeoutMs} ms`;
          throw new Error(`run ${runId}: ${what} did not happen, ${why}; state ${JSON.stringify(state)}`);
        }
        await delay(pollMs);
      }
    },
    waitUntilActive(runId, elementId) {
      return conformance.waitForState(runId, `a token in ${elementId}`, (state) =>
        state.activeElements.includes(elementId),
      );
    },
    waitForIncident(runId) {
      return conformance.waitForState(runId, 'an incident', (state) => state.status === 'incident');
    },
    async waitForSubscription(runId, name, correlationKey) {
      const mailbox = current().client.temporal.workflow.getHandle(mailboxWorkflowId(name, correlationKey));
      await until(`run ${runId} subscribed to message ${name}/${correlationKey}`, async () => {
        const state = await mailbox.query(mailboxStateQuery).catch(() => undefined);
        return state?.subscriptions.some((s) => s.workflowId === `run/${runId}`) === true;
      });
    },
    async waitForSignalWaiter(runId, name) {
      const query = `${SearchAttributes.waitingSignals.name} = '${name}' AND WorkflowId = 'run/${runId}'`;
      await until(`run ${runId} waiting for signal ${name}`, async () => {
        const count = await current().client.temporal.workflow.count(query);
        return count.count > 0;
      });
    },
    async completeTask(runId, elementId, output = {}) {
      await until(`user task ${elementId} of run ${runId} completed`, async () => {
        try {
          await current().client.completeTask(runId, { elementId, output });
          return true;
        } catch (error) {
          if (error instanceof UserTaskNotOpenError) return false;
          throw error;
        }
      });
    },
  };
  return conformance;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = waitMs): Promise<void> {
  await pollUntil(what, check, (done) => done, timeoutMs);
}

/**
 * Reads a value until `accept` holds and returns it; fails naming `what` and the last value.
 * (Concurrent tests cannot use the global `expect.poll`.)
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = waitMs,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen in ${timeoutMs} ms; last seen: ${JSON.stringify(value)}`);
    }
    await delay(pollMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A trace entry; `completed` unless told otherwise. */
export function entry(
  elementId: string,
  type: string,
  status: TraceEntry['status'] = 'completed',
): TraceEntry {
  return { elementId, type, status };
}

/** The trace entries of one element. */
export function entriesOf(trace: TraceEntry[], elementId: string): TraceEntry[] {
  return trace.filter((e) => e.elementId === elementId);
}

/** Where `elementId` first ends in the trace (-1 when it never does). */
export function endIndex(trace: TraceEntry[], elementId: string): number {
  return trace.findIndex((e) => e.elementId === elementId);
}

/** A key unique to this test run, for message correlation keys and signal names. */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
