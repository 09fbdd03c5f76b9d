import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnknownRoutineError } from '../../../activities/store/errors.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { UnknownAgentError, UnknownRunError } from '../../../client/errors.ts';
import type { SwarmflowApi } from '../../../client/remote/swarmflow-api.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { UserTaskNotOpenError } from '../../../client/run-update-errors.ts';
import { PermissionDeniedError } from '../../../schema/identity.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { registerSampleCatalog } from '../swarms/support.ts';

/**
 * The same behaviour through both SDKs: the direct one (Temporal and PostgreSQL) and the remote
 * one (the REST API with an API key), acting for the same tenant. One stack, one API server and
 * one worker for the file.
 */

let stack: TestStack;
let server: ApiServer;
let tenantId: string;
let keys: Record<'admin' | 'viewer', string>;

beforeAll(async () => {
  stack = await startTestStack();
  ({ tenantId, keys } = await tenantWithKeys(stack, 'remote-sdk', ['admin', 'viewer']));
  server = await startTestApiServer(stack);
  await stack.startWorker();
  const direct = stack.client.forTenant(tenantId);
  await registerSampleCatalog(direct);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const remote = (apiKey = keys.admin) => new RemoteSwarmflowClient({ url: server.url, apiKey });

const clients: [name: string, make: () => SwarmflowApi][] = [
  ['direct', () => stack.client.forTenant(tenantId)],
  ['remote', () => remote()],
];

/** A routine doubling `amount` into `doubled`, with an input schema requiring a number. */
const doubling = (id: string) => ({
  id,
  name: 'Double',
  inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" />${scriptTask('double', 'amount * 2', 'doubled')}<bpmn:endEvent id="end" />
       ${flows(['start', 'double'], ['double', 'end'])}`,
      id.replaceAll('-', '_'),
    ),
  },
});

/** A routine waiting at the user task `review`. */
const reviewing = (id: string) => ({
  id,
  name: 'Review',
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
       ${flows(['start', 'review'], ['review', 'end'])}`,
      id.replaceAll('-', '_'),
    ),
  },
});

async function openTask(client: SwarmflowApi, runId: string) {
  await vi.waitFor(async () => expect(await client.listTasks({ runId, status: 'open' })).toHaveLength(1), {
    timeout: 15_000,
    interval: 200,
  });
}

const failure = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );

describe.each(clients)('the %s SDK', (name, make) => {
  let client: SwarmflowApi;
  beforeAll(() => {
    client = make();
  });
  afterAll(() => client?.close());

  it('registers a BPMN routine, runs it to its outputs, and lists and reads the run', async () => {
    const routineId = `double-${name}`;
    expect(await client.registerRoutine(doubling(routineId))).toEqual({
      id: routineId,
      version: 1,
      created: true,
    });
    expect(await client.registerRoutine(doubling(routineId))).toEqual({
      id: routineId,
      version: 1,
      created: false,
    });
    expect((await client.getRoutine(routineId)).createdAt).toBeInstanceOf(Date);
    expect((await client.listRoutines()).map((routine) => routine.id)).toContain(routineId);

    const { runId, workflowId } = await client.startRun({ routineId, input: { amount: 21 } });
    expect(workflowId).toContain(runId);
    const outcome = await client.awaitRun(runId);
    expect(outcome).toMatchObject({ runId, status: 'completed', outputs: { amount: 21, doubled: 42 } });

    const state = await client.getRunState(runId);
    expect(state).toMatchObject({ runId, status: 'completed', outputs: { doubled: 42 } });
    const runs = await client.listRuns({ routineId });
    expect(runs).toMatchObject([{ runId, routineId, status: 'completed' }]);
    expect(runs[0]?.startedAt).toBeInstanceOf(Date);
  });

  it('refuses bad input with a ValidationError naming the field, before or after the network alike', async () => {
    const badId = await failure(client.startRun({ routineId: 'not an id!' }));
    expect(badId).toBeInstanceOf(ValidationError);
    expect((badId as ValidationError).problems).toEqual([expect.stringMatching(/^routineId: /)]);

    const routineId = `double-${name}`;
    const badInput = await failure(client.startRun({ routineId, input: { amount: 'many' } }));
    expect(badInput).toBeInstanceOf(ValidationError);
    expect(badInput.message).toMatch(`invalid input for routine ${routineId}`);
    expect((badInput as ValidationError).problems.join('\n')).toMatch(/amount/);
  });

  it('names an unknown run, routine and agent with their own errors', async () => {
    const runError = await failure(client.getRunState(`no-such-run-${randomUUID()}`));
    expect(runError).toBeInstanceOf(UnknownRunError);
    expect((runError as UnknownRunError).runId).toMatch(/^no-such-run-/);
    expect(await failure(client.cancelRun('no-such-run'))).toBeInstanceOf(UnknownRunError);
    const routineError = await failure(client.startRun({ routineId: `double-${name}x` }));
    expect(routineError).toBeInstanceOf(UnknownRoutineError);
    expect((routineError as UnknownRoutineError).suggestions).toContain(`double-${name}`);
  });

  it('completes a user task the run waits on, refusing one it does not wait on', async () => {
    const routineId = `review-${name}`;
    await client.registerRoutine(reviewing(routineId));
    const { runId } = await client.startRun({ routineId, input: { order: 7 } });
    await openTask(client, runId);
    const typo = await failure(client.completeTask(runId, { elementId: 'reveiw' }));
    expect(typo).toBeInstanceOf(UserTaskNotOpenError);
    expect(typo).toMatchObject({ runId, task: { elementId: 'reveiw' } });
    expect(typo.message).toMatch(/its open user tasks: review/);
    expect(await client.completeTask(runId, { elementId: 'review', output: { approved: true } })).toEqual({
      taskKey: expect.stringContaining('review'),
    });
    expect(await client.awaitRun(runId)).toMatchObject({
      status: 'completed',
      outputs: { order: 7, approved: true },
    });
  });

  it('cancels a waiting run', async () => {
    const routineId = `review-${name}`;
    const { runId } = await client.startRun({ routineId });
    await openTask(client, runId);
    await client.cancelRun(runId);
    expect(await client.awaitRun(runId)).toMatchObject({ runId, status: 'cancelled' });
  });

  it('runs a swarm with the rule-based planner to its result, and reads it', async () => {
    const { swarmId } = await client.swarms.start('collect the facts and figures and write a report', {
      swarmId: `rules-${name}-${randomUUID().slice(0, 8)}`,
      planner: 'rules',
      input: { topic: 'gadgets' },
    });
    const outcome = await client.swarms.result(swarmId);
    expect(outcome.status).toBe('completed');
    expect(outcome.result).toMatchObject({
      results: { 'write-report': { report: 'facts about gadgets and 42' } },
    });
    expect((await client.swarms.get(swarmId)).status).toBe('completed');
    expect((await client.swarms.list()).map((swarm) => swarm.swarmId)).toContain(swarmId);
    expect(Array.isArray(await client.swarms.transcript(swarmId))).toBe(true);
  });

  it('registers, lists, reads and deletes an agent', async () => {
    const id = `helper-${name}`;
    expect(await client.agents.register({ id, role: 'helper', skills: ['typing'] })).toMatchObject({
      id,
      role: 'helper',
    });
    expect((await client.agents.list()).map((agent) => agent.id)).toContain(id);
    expect(await client.agents.get(id)).toMatchObject({ id, skills: ['typing'] });
    expect(await client.agents.delete(id)).toBe(true);
    expect(await client.agents.delete(id)).toBe(false);
    const unknown = await failure(client.agents.get(id));
    expect(unknown).toBeInstanceOf(UnknownAgentError);
    expect((unknown as UnknownAgentError).agentId).toBe(id);
  });
});

describe('the remote SDK only', () => {
  it('refuses a tenantId before the network: the key decides the tenant', async () => {
    const error = await failure(remote().startRun({ routineId: 'double-remote', tenantId: 'other' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([expect.stringMatching(/^tenantId: /)]);
  });

  it("throws PermissionDeniedError for a call the key's role does not allow", async () => {
    const error = await failure(remote(keys.viewer).startRun({ routineId: 'double-remote' }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ permission: 'runs:start', heldRoles: ['viewer'] });
  });

  it('creates, lists and revokes keys, and reads the audit log of what it did', async () => {
    const client = remote();
    const created = await client.keys.create({ name: 'ci', role: 'viewer' });
    expect(created.key).toMatch(/^sfk_/);
    expect((await client.keys.list()).map((key) => key.id)).toContain(created.id);
    expect(await client.keys.revoke(created.id)).toEqual({ id: created.id, revoked: true });
    const entries = await client.audit.list({ action: 'keys.*' });
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['keys.create', 'keys.revoke']),
    );
  });

  it('names the URL when the server cannot be reached', async () => {
    const client = new RemoteSwarmflowClient({ url: 'http://127.0.0.1:9', apiKey: keys.admin });
    const error = await failure(client.listRuns());
    expect(error.name).toBe('ApiUnreachableError');
    expect(error.message).toContain('http://127.0.0.1:9');
    expect(error.message).not.toContain(keys.admin);
  });
});
