import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProposalNotDecidedError } from '../../../client/improvement-errors.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../../client/remote/swarmflow-client.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import { billingTickets, registerWithRuns, triageDeployment } from '../../support/triage.ts';

/**
 * The improvement loop on a real dev server and PostgreSQL, with scripted models: model selection
 * proposes the cheaper models for an LLM step; the evals decide which one keeps the score.
 */

const run = promisify(execFile);
let stack: TestStack;
let worker: Worker;
/** premium and budget answer alike; sloppy, the cheapest, answers wrong. */
const deployment = triageDeployment();

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'improvement-loop' });
  worker = await stack.startWorker({ deployment });
});
afterAll(async () => {
  await stack?.stop();
});

describe('an improvement cycle', () => {
  it('promotes the cheaper model only because its eval holds the score, and rejects the worse one with the reason', async () => {
    await registerWithRuns(stack.client, 'triage');
    const result = await stack.client.improvement.run({
      routineId: 'triage',
      cycle: 'first',
      autoPromote: true,
    });

    expect(result.cycleId).toBe('improve/improvement-loop/triage/first');
    expect(result.baseline).toMatchObject({ version: 1, score: 1 });
    const byModel = Object.fromEntries(result.candidates.map((c) => [c.change.split(' ')[1], c]));
    expect(byModel.budget).toMatchObject({ optimizer: 'modelSelection', score: 1, decision: 'promoted' });
    expect(byModel.budget?.why).toMatch(/^the same score within ±0\.02: .* at lower cost: cost per run/);
    // Its answer is wrong, the echoed input right: half the expected fields match.
    expect(byModel.sloppy).toMatchObject({ score: 0.5, decision: 'rejected' });
    expect(byModel.sloppy?.why).toMatch(
      /^worse: score 0\.5 vs 1 \(difference -0\.5, 95% CI -0\.5 to -0\.5, 4 paired cases\)/,
    );
    expect(byModel.budget?.costPerRun).toBeLessThan(result.baseline.costPerRun as number);
    expect(result.promoted).toBe(byModel.budget?.version);

    // Runs without a version now start the promoted one; its lineage names the cycle and the evals.
    const active = await stack.client.getRoutine('triage');
    expect(active).toMatchObject({ version: result.promoted, status: 'active', parentVersion: 1 });
    expect(active.lineage).toMatchObject({
      optimizer: 'modelSelection',
      cycleId: result.cycleId,
      evalIds: [result.baseline.evalId, byModel.budget?.evalId],
    });
    expect((await stack.client.getRoutine('triage', 1)).status).toBe('retired');
    expect((await stack.client.getRoutine('triage', byModel.sloppy?.version)).status).toBe('retired');
    const next = await stack.client.startRun({ routineId: 'triage', input: { text: 'another invoice' } });
    expect(await stack.client.awaitRun(next.runId)).toMatchObject({
      status: 'completed',
      outputs: { category: 'billing' },
    });
    expect(await stack.client.getRunState(next.runId)).toMatchObject({ llmSteps: [{ model: 'budget' }] });

    const proposals = await stack.client.improvement.proposals({ routineId: 'triage' });
    expect(proposals.map((p) => [p.candidateVersion, p.decision, p.decidedBy]).sort()).toEqual(
      [
        [byModel.budget?.version, 'promoted', 'policy'],
        [byModel.sloppy?.version, 'rejected', 'rule'],
      ].sort(),
    );

    // Rollback returns to the version active before; promote moves forward again.
    expect(await stack.client.improvement.rollback('triage')).toMatchObject({
      previous: result.promoted,
      active: 1,
    });
    expect((await stack.client.getRoutine('triage')).version).toBe(1);
    await stack.client.improvement.promote('triage', result.promoted as number);
    expect((await stack.client.getRoutine('triage')).version).toBe(result.promoted);
  });

  it('stops cleanly when its budget runs out, reporting what it has', async () => {
    await registerWithRuns(stack.client, 'triage-budget');
    const runs = await stack.client.db
      .selectFrom('runs')
      .select('usage')
      .where('tenant_id', '=', 'improvement-loop')
      .where('routine_id', '=', 'triage-budget')
      .execute();
    const spentByRuns = runs.reduce((sum, r) => sum + (r.usage?.credits ?? 0), 0);
    // Enough for the baseline's eval (the same four cases), not for a candidate's too.
    const result = await stack.client.improvement.run({
      routineId: 'triage-budget',
      cycle: 'small',
      autoPromote: true,
      budgetCredits: spentByRuns * 1.5,
    });
    expect(result.baseline.score).toBe(1);
    expect(result.stopped).toMatch(
      /^budget: spent [\d.]+ of [\d.]+ credits; evaluating version \d+ would cost about/,
    );
    expect(result.spentCredits).toBeLessThanOrEqual(result.budgetCredits);
    expect(result.candidates.map((c) => c.decision)).toEqual(['skipped', 'skipped']);
    expect(result.promoted).toBeNull();
    expect((await stack.client.getRoutine('triage-budget')).version).toBe(1);
  });

  it('stops cleanly when its metric calls run out: the baseline’s and one candidate’s case runs fit, not a second’s', async () => {
    await registerWithRuns(stack.client, 'triage-calls', { improvement: { maxMetricCalls: 8 } });
    const result = await stack.client.improvement.run({
      routineId: 'triage-calls',
      cycle: 'calls',
      autoPromote: true,
    });
    expect(result.metricCalls).toBe(8);
    expect(result.stopped).toBe(
      `budget: ran 8 of 8 metric calls (eval case runs); evaluating version ${result.candidates[1]?.version} needs 4 more`,
    );
    expect(result.candidates.map((c) => c.decision)).toEqual([
      expect.stringMatching(/^(promoted|rejected)$/),
      'skipped',
    ]);
    const evals = await stack.client.evals.list({ routineId: 'triage-calls' });
    expect(evals).toHaveLength(2);
  });

  it('leaves a pending proposal that waits across a worker restart, refuses an operator and is approved by an approver', async () => {
    await registerWithRuns(stack.client, 'triage-review');
    const { cycleId } = await stack.client.improvement.start({ routineId: 'triage-review', cycle: 'review' });
    const evalPrefix = 'improve.improvement-loop.triage-review.review.';

    // Kill the worker once the baseline's eval runs; a new one resumes the cycle.
    await until(async () => (await evalsOf(evalPrefix)).length > 0);
    await stack.stopWorker(worker);
    worker = await stack.startWorker({ deployment });

    await until(
      async () =>
        (await stack.client.improvement.proposals({ routineId: 'triage-review', decision: 'pending' }))
          .length === 1,
    );
    await stack.stopWorker(worker);
    worker = await stack.startWorker({ deployment });

    const refused = stack.client.improvement.approve({
      proposal: cycleId,
      deciderRoles: ['operator'],
      decidedBy: 'otto',
    });
    await expect(refused).rejects.toThrow(ProposalNotDecidedError);
    await expect(refused).rejects.toThrow(/needs the role approver or admin; the decider's roles: operator/);

    const approved = await stack.client.improvement.approve({
      proposal: cycleId,
      deciderRoles: ['approver'],
      decidedBy: 'ana',
      reason: 'cheaper and as good',
    });
    const result = await stack.client.improvement.result(cycleId);
    expect(result.promoted).toBe(approved.candidateVersion);
    expect(result.candidates.find((c) => c.version === approved.candidateVersion)?.decision).toBe('approved');
    const [decided] = await stack.client.improvement.proposals({
      routineId: 'triage-review',
      decision: 'approved',
    });
    expect(decided).toMatchObject({ decidedBy: 'ana', reason: 'cheaper and as good' });
    expect((await stack.client.getRoutine('triage-review')).version).toBe(approved.candidateVersion);

    // Each eval ran once, each of its four cases once: the restart repeated none.
    const evals = await evalsOf(evalPrefix);
    expect(evals.map((e) => e.eval_id).sort()).toEqual(
      [`${evalPrefix}baseline`, ...result.candidates.map((c) => `${evalPrefix}v${c.version}`)].sort(),
    );
    const caseRuns = await stack.client.db
      .selectFrom('runs')
      .select('run_id')
      .where('tenant_id', '=', 'improvement-loop')
      .where('run_id', 'like', `${evalPrefix}%`)
      .execute();
    expect(caseRuns).toHaveLength(evals.length * billingTickets.length);
  });

  it('runs from the CLI and prints the cycle as JSON; routine rollback and promote move the active version', {
    timeout: 240_000,
  }, async () => {
    // Its own policy promotes: the CLI needs no --auto-promote.
    await registerWithRuns(stack.client, 'triage-cli', {
      improvement: { autoPromote: true, optimizers: ['modelSelection'] },
    });
    const env = stackEnv(stack.config);
    const ran = await runCli(['improve', 'run', 'triage-cli', '--wait', '--json'], env);
    expect(ran.stderr).toBe('');
    const printed = JSON.parse(ran.stdout);
    expect(Object.keys(printed).slice(0, 4)).toEqual(['routineId', 'baseline', 'candidates', 'promoted']);
    expect(Object.keys(printed.baseline)).toEqual(['version', 'score', 'costPerRun']);
    expect(Object.keys(printed.candidates[0])).toEqual([
      'version',
      'optimizer',
      'change',
      'score',
      'costPerRun',
      'decision',
      'why',
    ]);
    expect(printed.promoted).toBe(
      printed.candidates.find((c: { decision: string }) => c.decision === 'promoted').version,
    );

    const back = await runCli(['routine', 'rollback', 'triage-cli'], env);
    expect(back.stdout).toBe(`triage-cli: rolled back to version 1 (was ${printed.promoted})\n`);
    const forward = await runCli(['routine', 'promote', 'triage-cli', String(printed.promoted)], env);
    expect(forward.stdout).toBe(`triage-cli: version ${printed.promoted} is active (was 1)\n`);
    const proposals = await runCli(['improve', 'proposals', '--routine', 'triage-cli', '--json'], env);
    expect(JSON.parse(proposals.stdout)).toHaveLength(2);
  });

  it('improve run --wait ends when the cycle parks on its proposal, printing it and the commands that decide it', {
    timeout: 240_000,
  }, async () => {
    await registerWithRuns(stack.client, 'triage-park');
    const env = stackEnv(stack.config);
    const ran = await runCli(['improve', 'run', 'triage-park', '--cycle', 'park', '--wait', '--json'], env);
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(ran.stdout);
    expect(Object.keys(printed).slice(0, 5)).toEqual([
      'routineId',
      'baseline',
      'candidates',
      'promoted',
      'pending',
    ]);
    expect(printed).toMatchObject({
      routineId: 'triage-park',
      baseline: { version: 1, score: 1 },
      promoted: null,
    });
    const pending = printed.candidates.find((c: { decision: string }) => c.decision === 'pending');
    expect(pending).toMatchObject({
      optimizer: 'modelSelection',
      score: 1,
      change: expect.stringMatching(/^model budget /),
    });
    expect(pending.why).toMatch(/at lower cost/);
    expect(pending.costPerRun).toBeLessThan(printed.baseline.costPerRun);
    const rejected = printed.candidates.find((c: { decision: string }) => c.decision === 'rejected');
    expect(rejected.why).toMatch(/^worse: score 0\.5 vs 1/);
    const proposalId = `improve/improvement-loop/triage-park/park/v${pending.version}`;
    expect(printed.pending).toEqual({
      proposalId,
      candidateVersion: pending.version,
      approve: `swarmflow improve approve triage-park ${proposalId}`,
      reject: `swarmflow improve reject triage-park ${proposalId}`,
    });

    // The printed command decides it; the cycle then promotes the candidate.
    const approved = await runCli([...printed.pending.approve.split(' ').slice(1), '--by', 'ana'], env);
    expect(approved).toMatchObject({
      code: 0,
      stdout: `approved ${proposalId}: triage-park version ${pending.version}\n`,
    });
    const outcome = await stack.client.improvement.awaitCycle('improve/improvement-loop/triage-park/park');
    expect(outcome.status).toBe('finished');
    expect(outcome.status === 'finished' && outcome.result.promoted).toBe(pending.version);

    // Without --json: the candidates, their scores and reasons, the proposal and the commands.
    await registerWithRuns(stack.client, 'triage-park-text');
    const text = await runCli(['improve', 'run', 'triage-park-text', '--cycle', 'text', '--wait'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/baseline {3}version 1: score 1, cost per run [\d.]+\n/);
    expect(text.stdout).toMatch(
      /candidate {2}version \d+ by modelSelection: model budget for step classify \(premium\)\n/,
    );
    expect(text.stdout).toMatch(/ pending: the same score within ±0\.02: .* at lower cost/);
    expect(text.stdout).toMatch(/ rejected: worse: score 0\.5 vs 1/);
    expect(text.stdout).toMatch(
      /waits for a decision: proposal improve\/improvement-loop\/triage-park-text\/text\/v\d+\n {2}approve: swarmflow improve approve triage-park-text improve\/improvement-loop\/triage-park-text\/text\/v\d+\n {2}reject: {2}swarmflow improve reject /,
    );
    await stack.client.improvement.reject({ proposal: 'improve/improvement-loop/triage-park-text/text' });
  });

  it('improve run --wait-for-decision waits through the proposal until a person decides it', {
    timeout: 240_000,
  }, async () => {
    await registerWithRuns(stack.client, 'triage-decide');
    const cycleId = 'improve/improvement-loop/triage-decide/decide';
    const waiting = runCli(
      ['improve', 'run', 'triage-decide', '--cycle', 'decide', '--wait-for-decision', '--json'],
      stackEnv(stack.config),
    );
    // The SDK sees it park; the CLI still waits.
    let parked: Awaited<ReturnType<typeof stack.client.improvement.awaitCycle>> | undefined;
    await until(async () => {
      parked = await stack.client.improvement
        .awaitCycle(cycleId, { untilParked: true })
        .catch(() => undefined);
      return parked !== undefined;
    }, 120_000);
    expect(parked?.status).toBe('waiting');
    const cycle = parked?.status === 'waiting' ? parked.cycle : undefined;
    expect(cycle?.pending.proposalId).toBe(`${cycleId}/v${cycle?.pending.candidateVersion}`);
    expect(cycle?.candidates.map((c) => c.decision).sort()).toEqual(['pending', 'rejected']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stack.client.improvement.approve({ proposal: cycleId, decidedBy: 'ana' });
    const ran = await waiting;
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout);
    expect(printed.pending).toBeUndefined();
    expect(printed.promoted).toBe(cycle?.pending.candidateVersion);
    expect(printed.candidates.find((c: { version: number }) => c.version === printed.promoted).decision).toBe(
      'approved',
    );
  });

  it('takes a decision over REST only from a key whose role may decide approvals', async () => {
    const { tenantId, keys } = await tenantWithKeys(stack, 'improve-rest', [
      'operator',
      'approver',
      'author',
    ]);
    const client = stack.client.forTenant(tenantId);
    await registerWithRuns(client, 'triage-rest');
    const server = await startTestApiServer(stack);
    try {
      const call = (key: string, method: string, path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const started = await call(keys.author, 'POST', '/v1/routines/triage-rest/improvement/cycles', {
        cycle: 'rest',
      });
      expect(started.status).toBe(202);
      const { cycleId } = (await started.json()) as { cycleId: string };
      await until(
        async () => (await client.improvement.proposals({ decision: 'pending' })).length === 1,
        120_000,
      );
      const listed = await call(keys.operator, 'GET', '/v1/proposals?decision=pending');
      const [pending] = ((await listed.json()) as { proposals: { id: string; cycleId: string }[] }).proposals;
      expect(pending?.cycleId).toBe(cycleId);

      const refused = await call(
        keys.operator,
        'POST',
        `/v1/proposals/${encodeURIComponent(cycleId)}/approve`,
        {},
      );
      expect(refused.status).toBe(403);
      // The remote SDK, as the approver key: the decider is the key, with its role.
      const approver = new RemoteSwarmflowClient({ url: server.url, apiKey: keys.approver });
      const approved = await approver.improvement.approve({ proposal: cycleId, reason: 'as good, cheaper' });
      expect(approved.cycleId).toBe(cycleId);
      await approver.close();
      const result = await client.improvement.result(cycleId);
      expect(result.promoted).not.toBeNull();
      const [decided] = await client.improvement.proposals({ decision: 'approved' });
      expect(decided).toMatchObject({
        reason: 'as good, cheaper',
        decidedBy: expect.stringContaining('key'),
      });
      expect((await client.getRoutine('triage-rest')).version).toBe(result.promoted);
    } finally {
      await server.close();
    }
  });

  it('is scheduled as a Temporal Schedule that the Temporal CLI lists, overlap skip', async () => {
    await stack.client.registerRoutine({
      id: 'triage-scheduled',
      body: {
        kind: 'sequence',
        steps: [{ id: 'classify', prompt: 'Classify: {{ text }}', resultVariable: 'category' }],
      },
    });
    const schedule = await stack.client.improvement.schedule({ routineId: 'triage-scheduled', every: '1d' });
    expect(schedule.scheduleId).toBe('improve/improvement-loop/triage-scheduled');
    const temporal = [
      '.tools/bin/temporal',
      '--address',
      stack.config.temporalAddress,
      '--namespace',
      stack.config.temporalNamespace,
    ];
    const { stdout } = await run(temporal[0] as string, [
      ...temporal.slice(1),
      'schedule',
      'describe',
      '--schedule-id',
      schedule.scheduleId,
      '-o',
      'json',
    ]);
    const described = JSON.parse(stdout);
    expect(JSON.stringify(described.schedule.policies)).toMatch(/SKIP/);
    expect(described.schedule.action.startWorkflow.workflowType.name).toBe('improvementWorkflow');
    const listed = await run(temporal[0] as string, [...temporal.slice(1), 'schedule', 'list', '-o', 'json']);
    expect(listed.stdout).toContain('improve/improvement-loop/triage-scheduled');
    expect(await stack.client.improvement.unschedule('triage-scheduled')).toBe(true);
  });
});

function evalsOf(prefix: string) {
  return stack.client.db
    .selectFrom('eval_runs')
    .select(['eval_id', 'status'])
    .where('tenant_id', '=', 'improvement-loop')
    .where('eval_id', 'like', `${prefix}%`)
    .execute();
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
