import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earlierVariants } from '../../../activities/improvement/earlier-variants.ts';
import type { ImprovementCycleResult } from '../../../schema/improvement-cycle.ts';
import type { RoutineDefinitionInput } from '../../../schema/routine.ts';
import { improvementStateQuery } from '../../../workflows/improvement/messages.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import {
  answering,
  billingTickets,
  registerWithRuns,
  triageDeployment,
  triageModels,
} from '../../support/triage.ts';

/**
 * Canary releases on a real dev server and PostgreSQL, with scripted models: model selection
 * proposes the cheaper `budget` model, whose eval on the billing tickets holds the score, so the
 * cycle promotes it; the routine's policy releases it to half of the new runs first. `budget` only
 * knows billing words: live tickets about anything else fail on it, and the canary is rolled back.
 */

let stack: TestStack;

/** premium answers billing to every ticket; budget only to tickets with billing words. */
const deployment = triageDeployment({
  premium: triageModels.premium,
  budget: answering('billing', 'invoice|charged|refund|billing'),
});

/** Its policy promotes by itself, through a canary at 50% that may last `maxDurationMs`. */
function canaryPolicy(maxDurationMs = 120_000): Partial<RoutineDefinitionInput> {
  return {
    improvement: {
      autoPromote: true,
      optimizers: ['modelSelection'],
      canary: { percent: 50, minRuns: 3, checkEveryMs: 1000, maxDurationMs },
    },
  };
}

/** Starts the cycle, waits for its canary, then feeds it live runs until the cycle ends. */
async function cycleWithLiveTraffic(
  routineId: string,
  liveText: (n: number) => string,
): Promise<{ result: ImprovementCycleResult; runIds: string[] }> {
  const { cycleId } = await stack.client.improvement.start({ routineId, cycle: 'canary' });
  const handle = stack.client.temporal.workflow.getHandle(cycleId);
  const deadline = Date.now() + 90_000;
  while ((await handle.query(improvementStateQuery)).phase !== 'canary') {
    if (Date.now() > deadline) throw new Error('the cycle never started its canary');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const running = stack.client.improvement.result(cycleId);
  let ended = false;
  void running.finally(() => {
    ended = true;
  });
  const runIds: string[] = [];
  for (let n = 0; !ended && n < 60; n++) {
    const { runId } = await stack.client.startRun({
      routineId,
      runId: `${routineId}-live-${n}`,
      input: { text: liveText(n) },
    });
    runIds.push(runId);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { result: await running, runIds };
}

async function versionsOf(runIds: string[]): Promise<Map<string, number>> {
  const rows = await stack.client.db
    .selectFrom('runs')
    .select(['run_id', 'routine_version'])
    .where('run_id', 'in', runIds)
    .execute();
  return new Map(rows.map((row) => [row.run_id, row.routine_version]));
}

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'canary-release' });
  await stack.startWorker({ deployment });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a canary release', { timeout: 180_000 }, () => {
  it('is rolled back when the candidate’s live failures rise, and every new run starts the baseline again', async () => {
    await registerWithRuns(stack.client, 'triage-canary', canaryPolicy());
    const { result, runIds } = await cycleWithLiveTraffic('triage-canary', (n) => `where is parcel ${n}`);

    const [candidate] = result.candidates;
    expect(candidate).toMatchObject({ optimizer: 'modelSelection', decision: 'rolled_back', version: 2 });
    expect(candidate?.why).toMatch(/canary at 50%: its live failure rate rose by/);
    expect(result.promoted).toBeNull();
    expect(result.canary).toMatchObject({ version: 2, percent: 50, outcome: 'rolled_back' });
    expect(result.canary?.canary.failed).toBeGreaterThan(0);
    expect(result.canary?.baseline.failed).toBe(0);

    // The split sent live runs to both versions, and the search attribute tells which one each used.
    const versions = await versionsOf(runIds);
    const onCanary = runIds.filter((id) => versions.get(id) === 2);
    expect(onCanary.length).toBeGreaterThan(0);
    expect(runIds.some((id) => versions.get(id) === 1)).toBe(true);
    const listed: string[] = [];
    for await (const run of stack.client.temporal.workflow.list({
      query: `SwarmflowRoutineId = "triage-canary" AND SwarmflowRoutineVersion = 2`,
    })) {
      listed.push(run.workflowId);
    }
    expect(listed.length).toBeGreaterThanOrEqual(onCanary.length);

    // The baseline stays active, the candidate is retired, the proposal says why.
    expect(await stack.client.getRoutine('triage-canary')).toMatchObject({ version: 1, status: 'active' });
    expect((await stack.client.getRoutine('triage-canary', 2)).status).toBe('retired');
    const [proposal] = await stack.client.improvement.proposals({ routineId: 'triage-canary' });
    expect(proposal).toMatchObject({ candidateVersion: 2, decision: 'rolled_back' });
    expect(proposal?.reason).toMatch(/failure rate rose/);
    const after = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((n) =>
        stack.client.startRun({
          routineId: 'triage-canary',
          runId: `after-${n}`,
          input: { text: 'invoice' },
        }),
      ),
    );
    await Promise.all(after.map((run) => stack.client.awaitRun(run.runId)));

    // The next cycle's reflective optimizer sees the rolled-back candidate as an earlier variant, scored per case.
    const variants = await earlierVariants(stack.client.db, 'canary-release', 'triage-canary', 1);
    expect(variants).toEqual([
      {
        definition: expect.objectContaining({ id: 'triage-canary' }),
        change: 'model budget for step classify (premium)',
        cases: billingTickets.map((text) => ({ input: { text }, score: 1 })),
      },
    ]);
    expect([...(await versionsOf(after.map((run) => run.runId))).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('makes the candidate active once enough of its live runs held up', async () => {
    await registerWithRuns(stack.client, 'triage-healthy', canaryPolicy());
    const { result, runIds } = await cycleWithLiveTraffic('triage-healthy', (n) => `invoice number ${n}`);

    expect(result.candidates[0]).toMatchObject({ decision: 'promoted', version: 2 });
    expect(result.candidates[0]?.why).toMatch(/canary at 50%: its live runs held up/);
    expect(result.canary).toMatchObject({ outcome: 'promoted', canary: { failed: 0 } });
    expect(result.canary?.canary.ended).toBeGreaterThanOrEqual(3);
    expect(result.promoted).toBe(2);
    expect(await stack.client.getRoutine('triage-healthy')).toMatchObject({ version: 2, status: 'active' });
    expect([...(await versionsOf(runIds)).values()]).toContain(2);
    const next = await stack.client.startRun({
      routineId: 'triage-healthy',
      runId: 'healthy-next',
      input: { text: 'invoice' },
    });
    await stack.client.awaitRun(next.runId);
    expect((await versionsOf([next.runId])).get(next.runId)).toBe(2);
  });

  it('is started by hand from the CLI, refuses an active version, and rolls back a draft whose runs fail', async () => {
    const steps = (model: string) => [
      { id: 'classify', prompt: 'Classify this ticket: {{ text }}', model, resultVariable: 'category' },
    ];
    await stack.client.registerRoutine({
      id: 'triage-hand',
      body: { kind: 'sequence', steps: steps('premium') },
    });
    const draft = await stack.client.registerRoutine(
      { id: 'triage-hand', body: { kind: 'sequence', steps: steps('budget') } },
      { draft: true },
    );
    const env = stackEnv(stack.config);
    const refused = await runCli(['routine', 'canary', 'triage-hand', '1', '--percent', '30'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/version 1 of routine "triage-hand" is already active/);
    const badPercent = await runCli(
      ['routine', 'canary', 'triage-hand', String(draft.version), '--percent', '100'],
      env,
    );
    expect(badPercent.code).not.toBe(0);
    expect(badPercent.stderr).toMatch(/percent/);

    const started = await runCli(
      [
        'routine',
        'canary',
        'triage-hand',
        String(draft.version),
        '--percent',
        '50',
        '--min-runs',
        '3',
        '--check-every',
        '1',
      ],
      env,
    );
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(
      new RegExp(
        `^triage-hand: 50% of new runs start version ${draft.version}, the others version 1; watched by canary/canary-release/triage-hand`,
      ),
    );
    const again = await runCli(
      ['routine', 'canary', 'triage-hand', String(draft.version), '--percent', '50'],
      env,
    );
    expect(again.stderr).toMatch(/is being watched already/);
    const shown = await runCli(['routine', 'canary', 'triage-hand', '--json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ version: draft.version, percent: 50, activeVersion: 1 });

    const waited = runCli(['routine', 'canary', 'triage-hand', '--wait', '--json'], env);
    for (let n = 0; n < 40 && (await stack.client.canary.current('triage-hand')) !== undefined; n++) {
      await stack.client.startRun({
        routineId: 'triage-hand',
        runId: `hand-${n}`,
        input: { text: `lost parcel ${n}` },
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const report = JSON.parse((await waited).stdout);
    expect(report).toMatchObject({ version: draft.version, outcome: 'rolled_back' });
    expect(report.why).toMatch(/failure rate rose/);
    expect(await stack.client.getRoutine('triage-hand')).toMatchObject({ version: 1, status: 'active' });
    expect((await stack.client.getRoutine('triage-hand', draft.version)).status).toBe('retired');
    const none = await runCli(['routine', 'canary', 'triage-hand', '--end'], env);
    expect(none.stderr).toMatch(/has no canary release going on/);
  });

  it('ends `improve run --wait` when the cycle releases its canary, and the cycle ends when a person ends the canary', async () => {
    await registerWithRuns(stack.client, 'triage-watch', canaryPolicy(600_000));
    const ran = await runCli(
      ['improve', 'run', 'triage-watch', '--cycle', 'watch', '--wait', '--json'],
      stackEnv(stack.config),
    );
    expect(ran.stderr).toBe('');
    const printed = JSON.parse(ran.stdout);
    expect(printed).toMatchObject({
      routineId: 'triage-watch',
      promoted: null,
      candidates: [{ version: 2, decision: 'promoted' }],
      canary: { version: 2, percent: 50, show: 'swarmflow routine canary triage-watch' },
    });

    const ended = await runCli(['routine', 'canary', 'triage-watch', '--end'], stackEnv(stack.config));
    expect(ended.stdout).toBe(
      'triage-watch: the canary of version 2 ended; every new run starts version 1\n',
    );
    const result = await stack.client.improvement.result('improve/canary-release/triage-watch/watch');
    expect(result.canary).toMatchObject({ outcome: 'ended' });
    expect(result.promoted).toBeNull();
    expect(await stack.client.getRoutine('triage-watch')).toMatchObject({ version: 1, status: 'active' });
  });
});
