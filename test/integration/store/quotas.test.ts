import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStep } from '../../../activities/store/run-read-model.ts';
import { createTenant, getTenant, setTenantQuotas } from '../../../activities/store/tenants.ts';
import { checkQuota, utcMidnight } from '../../../client/quotas/check-quota.ts';
import { QuotaExceededError } from '../../../client/quotas/quota-exceeded-error.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';

// Quotas on the real Temporal visibility and PostgreSQL read model, each test with a tenant of its own.

let stack: TestStack;
/** The tenant whose routines and runs the stack's client registers and starts. */
const runsTenant = `quota-runs-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: runsTenant });
  await stack.startWorker();
});
afterAll(() => stack?.stop());

const newTenant = async (quotas: Parameters<typeof createTenant>[1]['quotas']) =>
  (await createTenant(stack.client.db, { id: `quota-${randomUUID().slice(0, 8)}`, quotas })).id;

/** What checkQuota throws, or undefined when there is room. */
const refusal = (tenantId: string, kind: 'run' | 'swarm', now?: Date) =>
  checkQuota(stack.client, tenantId, kind, now).then(
    () => undefined,
    (error: unknown) => error,
  );

const waitsForReview = bpmnProcess(
  `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
${flows(['start', 'review'], ['review', 'end'])}`,
);

describe('concurrent runs', () => {
  it('refuse a run once the tenant has maxConcurrentRuns running, naming the quota and how to raise it', async () => {
    const { id: tenantId } = await createTenant(stack.client.db, {
      id: runsTenant,
      quotas: { maxConcurrentRuns: 1, maxConcurrentSwarms: 1 },
    });
    await stack.client.registerRoutine({
      id: 'waits-for-review',
      body: { kind: 'bpmn', xml: waitsForReview },
    });
    expect(await refusal(tenantId, 'run')).toBeUndefined();

    const { runId } = await stack.client.startRun({ routineId: 'waits-for-review', input: {} });
    await expect.poll(() => refusal(tenantId, 'run')).toBeInstanceOf(QuotaExceededError);
    const error = (await refusal(tenantId, 'run')) as QuotaExceededError;
    expect(error).toMatchObject({ tenantId, quota: 'maxConcurrentRuns', limit: 1, current: 1 });
    expect(error.message).toBe(
      `tenant ${tenantId} has reached its quota maxConcurrentRuns (1 runs running, of at most 1 at once); ` +
        `wait for a run to end, or raise it with \`swarmflow tenants quotas ${tenantId} --max-concurrent-runs <n>\``,
    );
    // Runs do not count against swarms, nor another tenant's runs against this one.
    expect(await refusal(tenantId, 'swarm')).toBeUndefined();
    expect(await refusal(await newTenant({ maxConcurrentRuns: 1 }), 'run')).toBeUndefined();

    await setTenantQuotas(stack.client.db, tenantId, { maxConcurrentRuns: 2 });
    expect(await refusal(tenantId, 'run')).toBeUndefined();

    await expect.poll(async () => (await stack.client.listTasks({ runId, status: 'open' })).length).toBe(1);
    await stack.client.completeTask(runId, { elementId: 'review', output: {} });
    await stack.client.awaitRun(runId);
    await setTenantQuotas(stack.client.db, tenantId, { maxConcurrentRuns: 1 });
    await expect.poll(() => refusal(tenantId, 'run')).toBeUndefined();
  });
});

describe('credits per day', () => {
  const step = (tenantId: string, runId: string, stepKey: string, endedAt: Date, credits: number) =>
    recordStep(stack.client.db, {
      runId,
      stepKey,
      tenantId,
      elementId: stepKey,
      elementType: 'serviceTask',
      status: 'completed',
      attempt: 1,
      startedAt: endedAt,
      endedAt,
      durationMs: 0,
      usage: { ...NO_USAGE, credits },
    });

  it("count the tenant's step credits since 00:00 UTC, for runs and swarms alike", async () => {
    const tenantId = await newTenant({ creditsPerDay: 10 });
    const other = await newTenant({});
    const now = new Date();
    const midnight = utcMidnight(now);
    const runId = randomUUID();
    await step(tenantId, runId, 'yesterday', new Date(midnight.getTime() - 60_000), 100);
    await step(other, randomUUID(), 'other-tenant', now, 100);
    await step(tenantId, runId, 'first', midnight, 6.5);
    expect(await refusal(tenantId, 'run', now)).toBeUndefined();

    await step(tenantId, randomUUID(), 'second', now, 3.5);
    for (const kind of ['run', 'swarm'] as const) {
      const error = await refusal(tenantId, kind, now);
      expect(error).toBeInstanceOf(QuotaExceededError);
      expect(error).toMatchObject({ tenantId, quota: 'creditsPerDay', limit: 10, current: 10 });
      expect((error as Error).message).toContain(
        `(10 credits used since 00:00 UTC, of 10 a day); wait until 00:00 UTC, or raise it with \`swarmflow tenants quotas ${tenantId} --credits-per-day <n>\``,
      );
    }
    // The next day starts afresh.
    expect(await refusal(tenantId, 'run', new Date(midnight.getTime() + 86_400_000))).toBeUndefined();
  });
});

describe('quotas', () => {
  it('leave a tenant without quotas, or without a row (direct mode), unlimited', async () => {
    expect(await refusal(await newTenant(undefined), 'swarm')).toBeUndefined();
    expect(await refusal(`no-row-${randomUUID().slice(0, 8)}`, 'run')).toBeUndefined();
  });

  it('are shown and changed with `swarmflow tenants quotas`', async () => {
    const tenantId = await newTenant({ maxConcurrentRuns: 3 });
    const env = stackEnv(stack.config);
    const changed = await runCli(
      ['tenants', 'quotas', tenantId, '--max-concurrent-swarms', '2', '--credits-per-day', '12.5'],
      env,
    );
    expect(changed).toMatchObject({ code: 0 });
    expect(changed.stdout).toBe(
      `tenant ${tenantId} quotas: maxConcurrentRuns 3, maxConcurrentSwarms 2, creditsPerDay 12.5\n`,
    );

    const removed = await runCli(
      ['tenants', 'quotas', tenantId, '--max-concurrent-runs', 'none', '--json'],
      env,
    );
    expect(JSON.parse(removed.stdout)).toMatchObject({
      quotas: { maxConcurrentSwarms: 2, creditsPerDay: 12.5 },
    });
    expect((await getTenant(stack.client.db, tenantId)).quotas).toEqual({
      maxConcurrentSwarms: 2,
      creditsPerDay: 12.5,
    });

    const refused = await runCli(['tenants', 'quotas', tenantId, '--max-concurrent-runs', '1.5'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--max-concurrent-runs: give a whole number, or "none" for unlimited');

    const shown = await runCli(['tenants', 'quotas', tenantId], env);
    expect(shown.stdout).toBe(
      `tenant ${tenantId} quotas: maxConcurrentSwarms 2, creditsPerDay 12.5; unlimited: maxConcurrentRuns\n`,
    );
  });
});
