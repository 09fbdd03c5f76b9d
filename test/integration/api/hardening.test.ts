import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTenantQuotas } from '../../../activities/store/tenants.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { requestJson } from '../../support/http.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** The API server's limits: quotas, rate limits, body size, CORS, and where it may listen. */

let stack: TestStack;
let server: ApiServer;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
  server = await startTestApiServer(stack, { rateLimitPerMinute: 1000, bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

const waitingRoutine = {
  source: bpmnProcess(
    `<bpmn:startEvent id="start" /><bpmn:userTask id="wait" /><bpmn:endEvent id="end" />
     ${flows(['start', 'wait'], ['wait', 'end'])}`,
    'quota_wait',
  ),
};

describe('the API server limits', () => {
  it('answers 429 naming the quota when a start would go over it, and starts again once under', async () => {
    const { tenantId, keys } = await tenantWithKeys(stack, 'quota', ['admin']);
    await setTenantQuotas(stack.client.db, tenantId, { maxConcurrentRuns: 1 });
    const call = (method: string, path: string, body?: unknown) =>
      requestJson(server.url, method, path, { token: keys.admin, body });
    expect((await call('POST', '/v1/routines', waitingRoutine)).status).toBe(201);
    const first = await call('POST', '/v1/runs', { routine: 'quota_wait' });
    expect(first.status).toBe(201);
    // Visibility lags a start by a moment: wait until the first run counts.
    await expect
      .poll(
        async () =>
          (
            await stack.client.temporal.workflow.count(
              `SwarmflowTenant = '${tenantId}' AND ExecutionStatus = 'Running'`,
            )
          ).count,
      )
      .toBe(1);

    const refused = await call('POST', '/v1/runs', { routine: 'quota_wait' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      type: 'QuotaExceededError',
      quota: 'maxConcurrentRuns',
      limit: 1,
      current: 1,
      message: expect.stringContaining('maxConcurrentRuns'),
    });
    const audited = await call('GET', '/v1/audit?action=runs.start&outcome=denied');
    expect(audited.body.entries).toEqual([
      expect.objectContaining({ status: 429, reason: expect.stringContaining('maxConcurrentRuns') }),
    ]);

    expect((await call('POST', `/v1/runs/${first.body.runId}/cancel`)).status).toBe(202);
    await expect
      .poll(async () => (await call('POST', '/v1/runs', { routine: 'quota_wait' })).status, {
        timeout: 30_000,
      })
      .toBe(201);
  });

  it('answers 429 with Retry-After once a key goes over its rate limit, counting each key on its own', async () => {
    const limited = await startTestApiServer(stack, { rateLimitPerMinute: 3 });
    try {
      const { keys } = await tenantWithKeys(stack, 'rate', ['viewer', 'operator']);
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await requestJson(limited.url, 'GET', '/v1/runs', { token: keys.viewer })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await requestJson(limited.url, 'GET', '/v1/runs', { token: keys.viewer });
      expect(refused.body.error).toMatchObject({ type: 'RateLimitedError', limit: 3 });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await requestJson(limited.url, 'GET', '/v1/runs', { token: keys.operator })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('refuses a body over the size limit with 413, and sends no CORS headers', async () => {
    const { keys } = await tenantWithKeys(stack, 'body', ['admin']);
    const big = await requestJson(server.url, 'POST', '/v1/messages', {
      token: keys.admin,
      body: { name: 'm', correlationKey: 'k', variables: { blob: 'x'.repeat(100 * 1024) } },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.status).toBe(413);

    const preflight = await fetch(new URL('/v1/runs', server.url), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const cross = await requestJson(server.url, 'GET', '/v1/runs', {
      token: keys.admin,
      headers: { origin: 'https://evil.example' },
    });
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses --insecure-local off loopback, and serves loopback without auth as the local admin', async () => {
    await expect(startTestApiServer(stack, { host: '0.0.0.0', insecureLocal: true })).rejects.toThrow(
      '--insecure-local serves only a loopback address',
    );
    const local = await startTestApiServer(stack, { insecureLocal: true });
    try {
      const runs = await requestJson(local.url, 'GET', '/v1/runs');
      expect(runs.status).toBe(200);
      const audit = await requestJson(local.url, 'GET', '/v1/audit');
      expect(audit.status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
