import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { NoEvalToCompareError, UnknownEvalError } from '../../../client/eval-errors.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** Eval runs over REST: start with `runs:start`, read and compare with `runs:read`, within the caller's tenant. */

let stack: TestStack;
let server: ApiServer;
let a: { tenantId: string; keys: Record<'operator' | 'viewer', string> };
let b: { tenantId: string; keys: Record<'viewer', string> };

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
  server = await startTestApiServer(stack);
  a = await tenantWithKeys(stack, 'eval-a', ['operator', 'viewer']);
  b = await tenantWithKeys(stack, 'eval-b', ['viewer']);
  await stack.client.forTenant(a.tenantId).registerRoutine({
    id: 'api-double',
    body: { kind: 'sequence', steps: [{ id: 'double', expression: 'n * 2', resultVariable: 'doubled' }] },
  });
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const call = (key: string, method: string, path: string, body?: unknown) =>
  requestJson(server.url, method, path, { token: key, body });

describe('the eval operations', () => {
  it('start an eval, show it with its cases once it ends, and keep it from other tenants', async () => {
    const cases = [
      { input: { n: 1 }, expected: { doubled: 2 } },
      { input: { n: 2 }, expected: { doubled: 5 } },
    ];
    const refused = await call(a.keys.viewer, 'POST', '/v1/evals', { routineId: 'api-double', cases });
    expect(refused.status).toBe(403);
    const withTenant = await call(a.keys.operator, 'POST', '/v1/evals', {
      routineId: 'api-double',
      cases,
      tenantId: b.tenantId,
    });
    expect(withTenant.status).toBe(400);

    const started = await call(a.keys.operator, 'POST', '/v1/evals', { routineId: 'api-double', cases });
    expect(started).toMatchObject({ status: 201, body: { routineId: 'api-double', version: 1 } });
    const { evalId } = started.body as { evalId: string };
    await expect
      .poll(async () => (await call(a.keys.viewer, 'GET', `/v1/evals/${evalId}`)).body.status)
      .toBe('completed');
    const shown = await call(a.keys.viewer, 'GET', `/v1/evals/${evalId}`);
    expect(shown.body).toMatchObject({ score: 0.5, passedCount: 1, caseCount: 2 });
    expect(shown.body.cases.map((evalCase: { score: number }) => evalCase.score)).toEqual([1, 0]);

    const listed = await call(a.keys.viewer, 'GET', '/v1/evals?routineId=api-double');
    expect(listed.body.evals.map((item: { evalId: string }) => item.evalId)).toEqual([evalId]);
    const compared = await call(
      a.keys.viewer,
      'GET',
      '/v1/evals/compare?routineId=api-double&versionA=1&versionB=1',
    );
    expect(compared.body).toMatchObject({ method: 'paired-t', difference: 0, pairs: 2 });

    expect((await call(b.keys.viewer, 'GET', `/v1/evals/${evalId}`)).status).toBe(404);
    expect((await call(b.keys.viewer, 'GET', '/v1/evals')).body.evals).toEqual([]);
    const none = await call(
      b.keys.viewer,
      'GET',
      '/v1/evals/compare?routineId=api-double&versionA=1&versionB=1',
    );
    expect(none.status).toBe(404);
  });

  it('work from the remote SDK as from the direct one, with the same errors', async () => {
    const remote = new RemoteSwarmflowClient({ url: server.url, apiKey: a.keys.operator });
    try {
      const result = await remote.evals.run({
        routineId: 'api-double',
        cases: [{ input: { n: 3 }, expected: { doubled: 6 } }],
      });
      expect(result).toMatchObject({ routineId: 'api-double', version: 1, score: 1 });
      expect(result.cases).toEqual([
        {
          input: { n: 3 },
          output: { n: 3, doubled: 6 },
          expected: { doubled: 6 },
          score: 1,
          passed: true,
          reasons: [expect.objectContaining({ kind: 'match', score: 1 })],
        },
      ]);
      await expect(remote.evals.get('no-such-eval')).rejects.toBeInstanceOf(UnknownEvalError);
      const compare = remote.evals.compare({ routineId: 'api-double', versionA: 1, versionB: 7 });
      await expect(compare).rejects.toBeInstanceOf(NoEvalToCompareError);
    } finally {
      await remote.close();
    }
  });
});
