import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { UnknownRunError } from '../../../client/errors.ts';
import { runProgress, swarmProgress } from '../../../client/remote/progress-changes.ts';
import type { SwarmflowApi } from '../../../client/remote/swarmflow-api.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import type { RunState } from '../../../schema/run.ts';
import type { SwarmState } from '../../../schema/swarm.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { registerSampleCatalog } from '../swarms/support.ts';

/**
 * Watching a run's and a swarm's progress (`watchRun`, `swarms.watch`) through both SDKs, as
 * remote-sdk.test.ts does for the rest: the direct one and the remote one over the REST API,
 * acting for the same tenant. One stack, one API server and one worker for the file.
 */

let stack: TestStack;
let server: ApiServer;
let tenantId: string;
let apiKey: string;

beforeAll(async () => {
  stack = await startTestStack();
  let keys: Record<'admin', string>;
  ({ tenantId, keys } = await tenantWithKeys(stack, 'watch', ['admin']));
  apiKey = keys.admin;
  server = await startTestApiServer(stack);
  await stack.startWorker();
  const direct = stack.client.forTenant(tenantId);
  await registerSampleCatalog(direct);
  for (const routine of [reviewing, routing]) await direct.registerRoutine(routine);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

/**
 * A client, and how many HTTP requests it sent so far (always 0 for the direct one). The direct
 * one shares the stack's Temporal connection, which the tests use too: the stack closes it.
 */
interface Made {
  client: SwarmflowApi;
  requests: () => number;
  close: () => Promise<void>;
}

const clients: [name: string, make: () => Made][] = [
  ['direct', () => ({ client: stack.client.forTenant(tenantId), requests: () => 0, close: async () => {} })],
  [
    'remote',
    () => {
      let requests = 0;
      const counting: typeof fetch = (input, init) => {
        requests += 1;
        return fetch(input, init);
      };
      const client = new RemoteSwarmflowClient({ url: server.url, apiKey, fetch: counting });
      return { client, requests: () => requests, close: () => client.close() };
    },
  ],
];

/** A routine waiting at the user task `review`. */
const reviewing = {
  id: 'watch-review',
  name: 'Review',
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
       ${flows(['start', 'review'], ['review', 'end'])}`,
      'watch_review',
    ),
  },
};

/** A routine whose gateway has no way for a small amount: it parks on an incident at `route`. */
const routing = {
  id: 'watch-route',
  name: 'Route',
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="route" /><bpmn:endEvent id="end" />
       ${flows(['start', 'route'], ['route', 'end', 'amount > 100'])}`,
      'watch_route',
    ),
  },
};

const waitingOnReview = (state: RunState) =>
  state.status === 'running' && state.activeElements.includes('review');

async function openTask(client: SwarmflowApi, runId: string) {
  await vi.waitFor(async () => expect(await client.listTasks({ runId, status: 'open' })).toHaveLength(1), {
    timeout: 15_000,
    interval: 200,
  });
}

/** Each state differs from the one before in what a watcher is shown. */
function expectChanges<S>(states: S[], key: (state: S) => string) {
  const keys = states.map(key);
  keys.slice(1).forEach((current, index) => {
    expect(current).not.toBe(keys[index]);
  });
}

describe.each(clients)('the %s SDK', (name, make) => {
  let made: Made;
  let client: SwarmflowApi;
  beforeAll(() => {
    made = make();
    client = made.client;
  });
  afterAll(() => made?.close());

  it('watches a run wait on its user task, and ends after the state showing it completed', async () => {
    const { runId } = await client.startRun({ routineId: reviewing.id, input: { order: 7 } });
    const states: RunState[] = [];
    for await (const state of client.watchRun(runId, { pollIntervalMs: 100 })) {
      states.push(state);
      if (waitingOnReview(state) && !states.slice(0, -1).some(waitingOnReview)) {
        await openTask(client, runId);
        await client.completeTask(runId, { elementId: 'review', output: { approved: true } });
      }
    }
    expect(states.find(waitingOnReview)).toMatchObject({ runId, activeElements: ['review'] });
    expect(states.at(-1)).toMatchObject({
      runId,
      status: 'completed',
      outputs: { order: 7, approved: true },
    });
    expect(states.filter((state) => state.status === 'completed')).toHaveLength(1);
    expectChanges(states, runProgress.key);
  });

  it('stops polling when the loop is left early', async () => {
    const { runId } = await client.startRun({ routineId: reviewing.id });
    const reads = vi.spyOn(client, 'getRunState');
    try {
      for await (const state of client.watchRun(runId, { pollIntervalMs: 50 })) {
        expect(state.runId).toBe(runId);
        break;
      }
      const [readsThen, requestsThen] = [reads.mock.calls.length, made.requests()];
      expect(readsThen).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reads.mock.calls.length).toBe(readsThen);
      expect(made.requests()).toBe(requestsThen);
    } finally {
      reads.mockRestore();
      await client.cancelRun(runId);
    }
  });

  it('ends on a parked run with untilParked, and goes on past it without', async () => {
    const { runId } = await client.startRun({ routineId: routing.id, input: { amount: 1 } });
    const states: RunState[] = [];
    for await (const state of client.watchRun(runId, { pollIntervalMs: 100, untilParked: true })) {
      states.push(state);
    }
    expect(states.at(-1)).toMatchObject({ status: 'incident', incident: { elementId: 'route' } });

    const stop = new AbortController();
    const later: RunState[] = [];
    for await (const state of client.watchRun(runId, { pollIntervalMs: 100, signal: stop.signal })) {
      later.push(state);
      setTimeout(() => stop.abort(), 300);
    }
    expect(later.map((state) => state.status)).toEqual(['incident']);
    await client.cancelRun(runId);
  });

  it('ends with status terminated when the run is terminated in Temporal', async () => {
    const { runId, workflowId } = await client.startRun({ routineId: reviewing.id });
    const statuses: string[] = [];
    for await (const state of client.watchRun(runId, { pollIntervalMs: 100 })) {
      statuses.push(state.status);
      if (waitingOnReview(state))
        await stack.client.temporal.workflow.getHandle(workflowId).terminate('test');
    }
    expect(statuses.at(-1)).toBe('terminated');
  });

  it('throws UnknownRunError for a run the tenant does not have', async () => {
    const states = client.watchRun(`no-such-run-${randomUUID()}`);
    await expect(states[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(UnknownRunError);
  });

  it('watches a swarm with the rule-based planner to its end', async () => {
    const { swarmId } = await client.swarms.start('collect the facts and figures and write a report', {
      swarmId: `watch-${name}-${randomUUID().slice(0, 8)}`,
      planner: 'rules',
      input: { topic: 'gadgets' },
    });
    const states: SwarmState[] = [];
    for await (const state of client.swarms.watch(swarmId, { pollIntervalMs: 100 })) states.push(state);
    expect(states.length).toBeGreaterThan(1);
    expect(states.at(-1)).toMatchObject({ swarmId, status: 'completed' });
    expect(states.at(-1)?.subtasks.every((subtask) => subtask.status === 'done')).toBe(true);
    expectChanges(states, swarmProgress.key);
  });
});
