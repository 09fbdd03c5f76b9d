import { readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScriptTurnInput } from '../../../schema/models.ts';
import type { RoutineDefinitionInput } from '../../../schema/routine.ts';
import type { SwarmOutcome } from '../../../schema/swarm.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import { registerWithRuns, triageDeployment, triageModels } from '../../support/triage.ts';
import { callTool } from '../swarms/support.ts';

/**
 * Improvement reaches swarms and the knowledge base, on a real dev server and PostgreSQL with
 * scripted models: a scripted leader runs a routine, then an improvement cycle on it as a subtask
 * (parked on a pending proposal, or promoted when the routine's policy allows); every proposal and
 * its decision is a knowledge entry that the SDK, the CLI and an agent's knowledge_search find.
 */

const tenantId = 'swarm-improvement';
let stack: TestStack;

const leaderTurns: ScriptTurnInput[] = [
  ...['triage', 'triage-auto'].flatMap((routineId): ScriptTurnInput[] => [
    {
      match: `Phase: planning[\\s\\S]*Goal: run ${routineId} and improve it`,
      toolCalls: [
        {
          name: 'swarm__update_swarm_shared_state',
          args: {
            subtasks: {
              set: [
                {
                  id: 'run',
                  description: 'Triage a ticket',
                  routineId,
                  input: { text: 'charged twice for one invoice' },
                },
              ],
            },
          },
        },
        { name: 'swarm__improve_routine', args: { routineId, subtaskId: 'improve' } },
      ],
    },
  ]),
  { match: '^ok: subtask improve runs an improvement cycle of routine', text: 'Planned.' },
  callTool('Phase: planning[\\s\\S]*Goal: improve a routine nobody ran', 'improve_routine', {
    routineId: 'triage',
  }),
  callTool('^error: routineId: routine triage was not used', 'end_swarm', { result: 'refused' }),
  callTool('Phase: planning[\\s\\S]*Goal: learn what worked', 'knowledge_search', {
    query: 'approved: a cheaper model for classify',
    kinds: ['proposal'],
    limit: 1,
  }),
  callTool('^ok: \\[\\{"id":"proposal:', 'end_swarm', { result: 'found a proposal' }),
  { match: 'Phase: review', text: 'All done.' },
];

/** premium and budget answer alike; sloppy, the cheapest, answers wrong; the leader is dearest, never a candidate. */
const deployment = triageDeployment(
  { leader: { provider: 'scripted', turns: leaderTurns }, ...triageModels },
  { defaultModel: 'leader', prices: { leader: { inputPer1k: 100, outputPer1k: 100 } } },
);

/** A one-step routine on the premium model, run on three tickets so that a cycle has evidence. */
function routineWithRuns(id: string, extra: Partial<RoutineDefinitionInput> = {}): Promise<void> {
  return registerWithRuns(stack.client, id, extra, [
    'my invoice is wrong',
    'refund my last payment',
    'billing address',
  ]);
}

async function runSwarm(goal: string, swarmId: string): Promise<SwarmOutcome> {
  await stack.client.swarms.start(goal, { swarmId, limits: { maxCredits: 10_000 } });
  return stack.client.swarms.result(swarmId);
}

beforeAll(async () => {
  stack = await startTestStack({ tenantId });
  await stack.startWorker({ deployment });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a swarm leader improving a routine its team ran', () => {
  const cycleId = `improve/${tenantId}/triage/improver.improve`;

  it('ends the subtask with the pending proposal, not waiting for the person; the decision reaches the knowledge base', {
    timeout: 240_000,
  }, async () => {
    await routineWithRuns('triage');
    const outcome = await runSwarm('run triage and improve it', 'improver');

    expect(outcome.status).toBe('completed');
    const improve = outcome.subtasks.find((subtask) => subtask.id === 'improve');
    expect(improve).toMatchObject({
      status: 'done',
      dependsOn: ['run'],
      improvement: { routineId: 'triage', budgetCredits: 100 },
    });
    const parked = improve?.result as Record<string, unknown>;
    expect(parked).toMatchObject({
      cycleId,
      routineId: 'triage',
      status: 'waiting',
      decision: 'pending',
      promoted: null,
      chargedCredits: 100,
    });
    expect(parked.proposalId).toBe(`${cycleId}/v${parked.candidateVersion}`);
    // The cycle's budget is charged to the swarm, beside the leader's turns and the routine's run.
    expect(outcome.usage.credits).toBeGreaterThan(100);
    const state = await stack.client.swarms.get('improver');
    expect(state.children).toContainEqual({
      kind: 'improvement',
      id: cycleId,
      workflowId: cycleId,
      subtaskId: 'improve',
      routineId: 'triage',
      status: 'waiting',
    });
    // Nothing was promoted: the routine's policy does not allow it, so the cycle waits on.
    expect((await stack.client.getRoutine('triage')).version).toBe(1);
    const cycle = await stack.client.temporal.workflow.getHandle(cycleId).describe();
    expect(cycle.status.name).toBe('RUNNING');

    // The pending proposal and the rejected one are in the knowledge base, with their decisions.
    const pending = await stack.client.knowledge.search({
      query: 'cheaper model for classify',
      kinds: ['proposal'],
    });
    const byId = Object.fromEntries(pending.map((hit) => [hit.sourceId, hit]));
    expect(byId[parked.proposalId as string]?.content).toMatch(
      /routine triage: version \d+ \(candidate\) against version 1 \(baseline\)[\s\S]*model budget for step classify[\s\S]*the candidate is cheaper[\s\S]*Decision: pending/,
    );
    expect(pending.find((hit) => hit.metadata.decision === 'rejected')?.content).toMatch(
      /model sloppy[\s\S]*Decision: rejected \(decided by rule\)[\s\S]*Why: worse/,
    );

    // A person approves; the same entry now says so, and no second one appeared.
    await stack.client.improvement.approve({
      proposal: cycleId,
      decidedBy: 'ana',
      reason: 'cheaper and as good',
      deciderRoles: ['approver'],
    });
    expect((await stack.client.improvement.result(cycleId)).promoted).toBe(parked.candidateVersion);
    const env = stackEnv(stack.config);
    const cli = await runCli(['knowledge', 'search', 'cheaper model for classify', '--json'], env);
    expect(cli.stderr).toBe('');
    const hits = JSON.parse(cli.stdout) as { kind: string; sourceId: string; content: string }[];
    const approved = hits.filter((hit) => hit.sourceId === parked.proposalId);
    expect(approved).toHaveLength(1);
    expect(approved[0]?.content).toMatch(
      /Decision: approved \(decided by ana\); the proposal was approved: the candidate became the active version\. Their reason: cheaper and as good\./,
    );
    const rows = await stack.client.db
      .selectFrom('knowledge')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'proposal')
      .execute();
    expect(rows.map((row) => row.id).sort()).toEqual(
      (await stack.client.improvement.proposals({ routineId: 'triage' }))
        .map((p) => `proposal:${p.id}#0`)
        .sort(),
    );
  });

  it('lets an agent find the proposal with knowledge_search', async () => {
    const outcome = await runSwarm('learn what worked', 'learner');
    expect(outcome).toMatchObject({ status: 'completed', result: 'found a proposal' });
    const transcript = await stack.client.swarms.transcript('learner');
    const found = transcript.find((entry) => entry.kind === 'tool_result')?.text ?? '';
    expect(found).toContain(`"sourceId":"${cycleId}/v`);
    expect(found).toContain('Decision: approved (decided by ana)');
  });

  it('returns the finished cycle when the routine lets it promote by itself', {
    timeout: 240_000,
  }, async () => {
    await routineWithRuns('triage-auto', { improvement: { autoPromote: true } });
    const outcome = await runSwarm('run triage-auto and improve it', 'auto-improver');

    expect(outcome.status).toBe('completed');
    const result = outcome.subtasks.find((subtask) => subtask.id === 'improve')?.result as Record<
      string,
      unknown
    > & { candidates: { version: number; decision: string }[]; spentCredits: number };
    expect(result).toMatchObject({ status: 'completed', decision: 'promoted', stopped: null });
    expect(result.chargedCredits).toBe(result.spentCredits);
    expect(result.spentCredits).toBeLessThan(100);
    expect(result.candidates.map((c) => c.decision).sort()).toEqual(['promoted', 'rejected']);
    expect((await stack.client.getRoutine('triage-auto')).version).toBe(result.promoted);

    // Its history replays with the workflow code as it is: the patch and the new commands are deterministic.
    const history = await stack.client.temporal.workflow.getHandle('swarm/auto-improver').fetchHistory();
    const code = await readFile(inject('workflowBundlePath'), 'utf8');
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code } }, history, 'swarm/auto-improver'),
    ).resolves.toBeUndefined();
  });

  it('refuses to improve a routine the swarm did not run, naming it and why', async () => {
    const outcome = await runSwarm('improve a routine nobody ran', 'refuser');
    expect(outcome).toMatchObject({ status: 'completed', result: 'refused', subtasks: [] });
    const transcript = await stack.client.swarms.transcript('refuser');
    expect(transcript.map((entry) => entry.text)).toContain(
      "error: routineId: routine triage was not used by this swarm's team, and a swarm improves only routines it ran (it has used none yet); run it first (run_routine or a routine subtask)",
    );
  });
});
