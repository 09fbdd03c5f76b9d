import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import type { ApiOperation } from '../../../schema/api/operation.ts';
import { apiOperations } from '../../../schema/api/operations.ts';
import { type BuiltInRole, builtInRoleTable, can } from '../../../schema/identity.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

const roles: BuiltInRole[] = ['viewer', 'operator', 'approver', 'author', 'admin'];

let stack: TestStack;
let server: ApiServer;
let a: { tenantId: string; keys: Record<BuiltInRole, string> };
let b: { tenantId: string; keys: Record<BuiltInRole, string> };

const reviewXml = bpmnProcess(
  `<bpmn:startEvent id="start" /><bpmn:userTask id="review" name="Review" /><bpmn:endEvent id="end" />
   ${flows(['start', 'review'], ['review', 'end'])}`,
  'api_review',
);

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
  server = await startTestApiServer(stack);
  a = await tenantWithKeys(stack, 'api-a', roles);
  b = await tenantWithKeys(stack, 'api-b', roles);
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const call = (key: string | undefined, method: string, path: string, body?: unknown) =>
  requestJson(server.url, method, path, { token: key, body });

/** The key id of an `sfk_<id>_<secret>` key. */
const keyId = (key: string) => key.split('_')[1] as string;

describe('the API server', () => {
  it('answers the documented shapes: register a routine, start a run, read it, read the audit log', async () => {
    const registered = await call(a.keys.admin, 'POST', '/v1/routines', { source: reviewXml });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ routineId: 'api_review', version: 1, created: true });
    const again = await call(a.keys.admin, 'POST', '/v1/routines', { source: reviewXml });
    expect(again).toMatchObject({
      status: 200,
      body: { routineId: 'api_review', version: 1, created: false },
    });

    const started = await call(a.keys.operator, 'POST', '/v1/runs', {
      routine: 'api_review',
      input: { n: 1 },
    });
    expect(started.status).toBe(201);
    const { runId } = started.body as { runId: string };
    expect(runId).toEqual(expect.any(String));

    const state = await call(a.keys.viewer, 'GET', `/v1/runs/${runId}`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ runId, status: 'running', outputs: {}, trace: expect.any(Array) });

    // The run waits on its user task: a long-poll for its outcome answers "not yet" at its deadline.
    const asked = Date.now();
    expect((await call(a.keys.viewer, 'GET', `/v1/runs/${runId}/outcome?waitMs=1500`)).body).toEqual({
      done: false,
    });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - asked).toBeLessThan(5000);

    const audit = await call(a.keys.admin, 'GET', '/v1/audit?action=runs.start');
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actor: { kind: 'api-key', id: keyId(a.keys.operator) },
        tenant: a.tenantId,
        action: 'runs.start',
        target: { kind: 'run', id: runId },
        outcome: 'ok',
        status: 201,
        at: expect.any(String),
        requestId: expect.any(String),
      }),
    ]);
  });

  it('answers 401 without a token or with a bad one, and with a revoked key at once', async () => {
    const none = await call(undefined, 'GET', '/v1/runs');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(none.body.error).toMatchObject({ type: 'UnauthenticatedError', status: 401 });
    expect((await call('not-a-key', 'GET', '/v1/runs')).status).toBe(401);
    expect((await call(`${a.keys.viewer}x`, 'GET', '/v1/runs')).status).toBe(401);

    const created = await call(a.keys.admin, 'POST', '/v1/keys', { name: 'short-lived', role: 'viewer' });
    expect(created.status).toBe(201);
    const { id, key } = created.body as { id: string; key: string };
    expect((await call(key, 'GET', '/v1/runs')).status).toBe(200);
    expect(await call(a.keys.admin, 'DELETE', `/v1/keys/${id}`)).toMatchObject({
      status: 200,
      body: { id, revoked: true },
    });
    expect((await call(key, 'GET', '/v1/runs')).status).toBe(401);

    const refused = await call(a.keys.admin, 'GET', `/v1/audit?actor=${id}&outcome=denied`);
    expect(refused.body.entries).toEqual([
      expect.objectContaining({ status: 401, outcome: 'denied', reason: expect.stringMatching(/^revoked/) }),
    ]);
  });

  it('never lets keys:manage grant more than its holder has', async () => {
    const { keys } = await tenantWithKeys(stack, 'api-grant', ['viewer']);
    // A custom role would be needed to hold keys:manage without admin; admin can grant every built-in role.
    const asAdmin = await call(a.keys.admin, 'POST', '/v1/keys', { name: 'ops', role: 'operator' });
    expect(asAdmin.status).toBe(201);
    const asViewer = await call(keys.viewer, 'POST', '/v1/keys', { name: 'x', role: 'admin' });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error).toMatchObject({ type: 'PermissionDeniedError', permission: 'keys:manage' });
  });

  it('checks exactly the one permission of each operation, for every built-in role', async () => {
    const placeholders: Record<string, string> = {
      runId: 'no-such-run',
      swarmId: 'no-such-swarm',
      routineId: 'no-such-routine',
      agentId: 'no-such-agent',
      keyId: 'aaaaaaaaaaaa',
    };
    const mismatches: string[] = [];
    for (const [operationId, operation] of Object.entries(apiOperations) as [string, ApiOperation][]) {
      const path = operation.path.replace(/:(\w+)/g, (_, name: string) => placeholders[name] ?? name);
      for (const role of roles) {
        const answer = await call(a.keys[role], operation.method, path, operation.body ? {} : undefined);
        const allowed = can({ roles: [role] }, operation.permission, builtInRoleTable);
        const denied = answer.status === 403 && answer.body.error?.permission === operation.permission;
        if (allowed === denied || answer.status === 401) {
          mismatches.push(
            `${role} ${operationId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("denies every kind of access to another tenant's resources as unknown, and audits each denial", async () => {
    const routine = await call(a.keys.admin, 'POST', '/v1/routines', { source: reviewXml, id: 'a_private' });
    expect(routine.status).toBe(201);
    const { runId } = (await call(a.keys.operator, 'POST', '/v1/runs', { routine: 'a_private' })).body;
    const swarm = await call(a.keys.operator, 'POST', '/v1/swarms', {
      goal: 'Wait for messages',
      team: [{ id: 'lead', role: 'leader' }],
      awaitMessages: true,
      planner: 'rules',
    });
    expect(swarm.status).toBe(201);
    const { swarmId } = swarm.body;
    expect((await call(a.keys.author, 'POST', '/v1/agents', { id: 'a-agent', role: 'writer' })).status).toBe(
      201,
    );
    const aKey = (await call(a.keys.admin, 'POST', '/v1/keys', { name: 'a key', role: 'viewer' })).body.id;
    await expect
      .poll(async () => (await call(a.keys.viewer, 'GET', `/v1/tasks?runId=${runId}`)).body.tasks?.length)
      .toBe(1);

    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/routines/a_private`],
      ['GET', `/v1/runs/${runId}`],
      ['GET', `/v1/runs/${runId}/outcome`],
      ['POST', `/v1/runs/${runId}/cancel`],
      ['POST', `/v1/runs/${runId}/approvals`, { callId: 'c1', approved: true }],
      ['POST', `/v1/runs/${runId}/tasks`, { elementId: 'review', output: { ok: true } }],
      ['POST', `/v1/runs/${runId}/resume`, { limits: { maxCredits: 10 } }],
      ['POST', `/v1/runs/${runId}/resolve-incident`, {}],
      ['GET', `/v1/approvals?runId=${runId}`],
      ['GET', `/v1/swarms/${swarmId}`],
      ['GET', `/v1/swarms/${swarmId}/transcript`],
      ['POST', `/v1/swarms/${swarmId}/messages`, { text: 'hello from b' }],
      ['POST', `/v1/swarms/${swarmId}/stop`, {}],
      ['POST', `/v1/swarms/${swarmId}/approvals`, { callId: 'c1', approved: true }],
      ['GET', `/v1/agents/a-agent`],
      ['DELETE', `/v1/agents/a-agent`],
      ['DELETE', `/v1/keys/${aKey}`],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(b.keys.admin, method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }

    // Lists and the audit log show nothing of tenant A.
    expect(
      (await call(b.keys.admin, 'GET', '/v1/runs')).body.runs.map((run: { runId: string }) => run.runId),
    ).not.toContain(runId);
    expect((await call(b.keys.admin, 'GET', '/v1/tasks')).body.tasks).toEqual([]);
    expect((await call(b.keys.admin, 'GET', '/v1/swarms')).body.swarms).toEqual([]);
    expect((await call(b.keys.admin, 'GET', '/v1/routines')).body.routines).toEqual([]);
    expect((await call(b.keys.admin, 'GET', '/v1/agents')).body.agents).toEqual([]);
    const keysOfB = (await call(b.keys.admin, 'GET', '/v1/keys')).body.keys.map(
      (key: { id: string }) => key.id,
    );
    expect(keysOfB).not.toContain(aKey);
    const bAudit = (await call(b.keys.admin, 'GET', '/v1/audit?limit=1000')).body.entries as {
      tenant: string;
    }[];
    expect(new Set(bAudit.map((entry) => entry.tenant))).toEqual(new Set([b.tenantId]));

    // Each attempt is in B's audit log as a denial.
    const denials = (
      await call(b.keys.admin, 'GET', `/v1/audit?outcome=denied&actor=${keyId(b.keys.admin)}&limit=1000`)
    ).body.entries as { status: number; details: { method: string; path: string } }[];
    for (const [method, path] of attempts) {
      expect(denials).toContainEqual(
        expect.objectContaining({ status: 404, details: { method, path: path.split('?')[0] } }),
      );
    }

    // Nothing of A's was touched: its run still waits, and its approver completes the task as itself.
    const completed = await call(a.keys.approver, 'POST', `/v1/runs/${runId}/tasks`, {
      elementId: 'review',
      output: { ok: true },
    });
    expect(completed.status).toBe(200);
    const outcome = await call(a.keys.viewer, 'GET', `/v1/runs/${runId}/outcome?waitMs=20000`);
    expect(outcome.body).toMatchObject({ done: true, outcome: { status: 'completed' } });
    expect((await call(a.keys.viewer, 'GET', `/v1/agents/a-agent`)).status).toBe(200);
    expect((await call(a.keys.viewer, 'GET', `/v1/swarms/${swarmId}`)).body).toMatchObject({ swarmId });
    const tasks = (await call(a.keys.viewer, 'GET', `/v1/tasks?runId=${runId}`)).body.tasks;
    expect(tasks).toEqual([
      expect.objectContaining({ status: 'completed', completedBy: `api-key:${keyId(a.keys.approver)}` }),
    ]);
  });

  it('refuses a tenant in the body: the tenant comes from the credentials', async () => {
    const answer = await call(a.keys.operator, 'POST', '/v1/runs', {
      routine: 'api_review',
      tenantId: b.tenantId,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.type).toBe('ValidationError');
    expect(answer.body.error.problems.join('\n')).toMatch(/tenantId/);
  });

  it('publishes OpenAPI 3.1 generated from the operations, and health without credentials', async () => {
    const spec = await call(undefined, 'GET', '/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/v1/runs', '/v1/runs/{runId}', '/v1/audit']),
    );
    expect(
      spec.body.paths['/v1/runs'].post.requestBody.content['application/json'].schema.required,
    ).toContain('routine');
    expect(spec.body.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(await call(undefined, 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(undefined, 'GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', database: 'ok', temporal: 'ok' },
    });
  });
});
