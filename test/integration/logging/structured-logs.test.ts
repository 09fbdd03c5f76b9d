import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTaskTypes } from '../../../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../../../activities/task-types/registry.ts';
import { createLogger } from '../../../client/logging/create-logger.ts';
import { createTemporalLogger } from '../../../client/logging/temporal-logger.ts';
import { routeTemporalLogs } from '../../../workers/logging.ts';
import { startTestApiServer } from '../../support/api-server.ts';
import { MemoryStream } from '../../support/memory-stream.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** What the failing attempt carries that must never reach the log. */
const apiKey = 'sk-live-0123456789abcdef';
const bearer = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln';

const attempts = new Map<string, number>();
const taskTypes = new TaskTypeRegistry({
  ...builtinTaskTypes,
  /** Fails its first attempt (with credentials in the error), then charges. */
  charge: async ({ variables }) => {
    const key = String(variables.order);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt === 1)
      throw Object.assign(new Error(`payment API refused Authorization: Bearer ${bearer}`), {
        apiKey,
        request: { headers: { authorization: `Bearer ${bearer}` } },
      });
    return { charged: true };
  },
});

const tenant = `logs-${randomUUID()}`;
const out = new MemoryStream();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: tenant });
  // The worker's runtime logger writes into pino on an in-memory stream (debug: the SDK's workflow lines too).
  routeTemporalLogs(
    createTemporalLogger(createLogger({ destination: out, env: {}, level: 'debug', format: 'json' })),
  );
  await stack.startWorker({ taskTypes });
});
afterAll(async () => {
  await stack?.stop();
  routeTemporalLogs();
});

const lines = () => out.records();

describe('structured logs of a worker', () => {
  it("carry the run's ids (runId, tenant, workflowId, activityId) and hide the secrets of a failed attempt", async () => {
    await stack.client.registerRoutine({
      id: 'charge-order',
      body: { kind: 'sequence', steps: [{ id: 'charge', type: 'charge' }] },
    });
    const { runId } = await stack.client.startRun({ routineId: 'charge-order', input: { order: orderId() } });
    expect(await stack.client.awaitRun(runId)).toMatchObject({ status: 'completed' });

    const failed = lines().find((line) => line.msg === 'Activity failed' && line.runId === runId);
    expect(failed).toMatchObject({
      level: 'warn',
      runId,
      tenant,
      workflowId: `run/${runId}`,
      workflowType: 'runWorkflow',
      activityType: 'executeMeteredStep',
      activityId: expect.any(String),
      temporalRunId: expect.any(String),
      attempt: 1,
      taskQueue: stack.config.taskQueue,
      err: expect.objectContaining({ apiKey: '[redacted]' }),
    });
    expect(JSON.stringify(failed?.err)).toContain('payment API refused Authorization: Bearer [redacted]');

    // The workflow's own lines (through the SDK's sink) carry the same ids; the tenant from its search attribute.
    await expect
      .poll(() =>
        lines().find((line) => line.msg === 'Workflow completed' && line.workflowId === `run/${runId}`),
      )
      .toMatchObject({ runId, tenant, workflowType: 'runWorkflow', temporalRunId: expect.any(String) });

    expect(out.text).not.toContain(apiKey);
    expect(out.text).not.toContain(bearer);
  });

  it("carry a swarm's id and tenant", async () => {
    const { swarmId } = await stack.client.swarms.start('charge an order', { input: { order: orderId() } });
    await expect
      .poll(() =>
        lines().find((line) => line.msg === 'Workflow started' && line.workflowId === `swarm/${swarmId}`),
      )
      .toMatchObject({ swarmId, tenant, workflowType: 'swarmWorkflow' });
  });
});

describe('structured logs of the API server', () => {
  it('carry the request id the error body names, and no Authorization header', async () => {
    const apiOut = new MemoryStream();
    const server = await startTestApiServer(stack, {
      insecureLocal: true,
      logger: createLogger({ destination: apiOut, env: {}, format: 'json' }),
    });
    try {
      const response = await fetch(`${server.url}/v1/routines/no-such-routine`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(response.status).toBe(404);
      const { error } = (await response.json()) as { error: { requestId: string } };
      await expect
        .poll(() => apiOut.records().find((line) => line.msg === 'request completed'))
        .toMatchObject({ level: 'info', requestId: error.requestId, res: { statusCode: 404 } });
      expect(apiOut.records().find((line) => line.msg === 'incoming request')).toMatchObject({
        requestId: error.requestId,
        req: { method: 'GET', url: '/v1/routines/no-such-routine' },
      });
      expect(apiOut.text).not.toContain(bearer);
    } finally {
      await server.close();
    }
  });
});

function orderId(): string {
  return randomUUID();
}
