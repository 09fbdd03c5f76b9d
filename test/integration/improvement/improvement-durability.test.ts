import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { improvementStateQuery } from '../../../workflows/improvement/messages.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../support/stand-ins/openai-chat.ts';
import { billingTickets, registerWithRuns, triageDeployment } from '../../support/triage.ts';
import { killWorkerProcess, startWorkerProcess } from '../../support/worker-process.ts';
import { stopProcess } from '../tier3/support/mcp-servers.ts';

/**
 * Issue 16, test 7: a worker process SIGKILLed while a cycle evaluates its first candidate. The
 * models are an OpenAI-compatible stand-in that holds every request of a candidate model until the
 * kill, so the kill lands while the candidate's four case runs wait in their LLM turns (the
 * baseline's eval has finished). A new worker resumes the cycle: every eval and every case ran once
 * (one workflow execution each), only the four killed turns were asked again, and the decision is right.
 */

const tenantId = 'improvement-durability';
let stack: TestStack;
let standIn: OpenAiStandIn;
let folder: string;
const workers: ChildProcess[] = [];

/** While true, the candidate models' requests are held open; each held one is listed here. */
let holding = true;
const held: (() => void)[] = [];

const answers: Record<string, string> = { premium: 'billing', budget: 'billing', sloppy: 'shipping' };

async function startWorker(): Promise<ChildProcess> {
  const worker = await startWorkerProcess(stack.config, {
    SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'),
    SWARMFLOW_DURABILITY_KEY: standIn.apiKey,
  });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  stack = await startTestStack({ tenantId });
  standIn = await startOpenAiStandIn({
    apiKey: 'sk-durability',
    models: { premium: {}, budget: {}, sloppy: {} },
    defaultResponder: async ({ body }) => {
      const model = body.model as string;
      if (holding && model !== 'premium') await new Promise<void>((resolve) => held.push(resolve));
      return { text: answers[model] as string, usage: { prompt_tokens: 100, completion_tokens: 10 } };
    },
  });
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-improvement-kill-'));
  const model = (name: string) => ({
    provider: 'openai' as const,
    model: name,
    baseURL: standIn.baseURL,
    apiKeyEnv: 'SWARMFLOW_DURABILITY_KEY',
  });
  const config = triageDeployment({
    premium: model('premium'),
    budget: model('budget'),
    sloppy: model('sloppy'),
  });
  await writeFile(join(folder, 'swarmflow.config.json'), JSON.stringify(config));
  await startWorker();
});
afterAll(async () => {
  holding = false;
  for (const release of held.splice(0)) release();
  await Promise.all(workers.map(stopProcess));
  await stack?.stop();
  await standIn?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

it('a worker killed while a candidate is evaluated is replaced; no eval and no case runs twice', async () => {
  // A step attempt may take 3 s: the turns the killed worker held are retried soon after.
  await registerWithRuns(stack.client, 'triage-kill', { limits: { stepTimeoutMs: 3000 } });
  const { cycleId } = await stack.client.improvement.start({
    routineId: 'triage-kill',
    cycle: 'kill',
    autoPromote: true,
    optimizers: ['modelSelection'],
  });
  const evalPrefix = `improve.${tenantId}.triage-kill.kill.`;

  // The first candidate's four cases wait in their LLM turns; the baseline's eval has completed.
  await expect.poll(() => held.length, { timeout: 60_000 }).toBe(billingTickets.length);
  const state = await stack.client.temporal.workflow.getHandle(cycleId).query(improvementStateQuery);
  expect(state.phase).toBe('evaluating');
  const before = await evalsOf(evalPrefix);
  expect(before).toContainEqual({ eval_id: `${evalPrefix}baseline`, status: 'completed' });
  expect(before.filter((e) => e.status === 'running')).toHaveLength(1);
  const [heldModel] = new Set(
    standIn
      .chatRequests()
      .map((body) => body.model as string)
      .filter((model) => model !== 'premium'),
  );

  await killWorkerProcess(workers[0] as ChildProcess);
  holding = false;
  for (const release of held.splice(0)) release();
  await startWorker();

  const result = await stack.client.improvement.result(cycleId);
  expect(result.baseline).toMatchObject({ version: 1, score: 1 });
  const byModel = Object.fromEntries(result.candidates.map((c) => [c.change.split(' ')[1], c]));
  expect(byModel.budget).toMatchObject({ score: 1, decision: 'promoted' });
  expect(byModel.sloppy).toMatchObject({ score: 0.5, decision: 'rejected' });
  expect(result.promoted).toBe(byModel.budget?.version);
  expect((await stack.client.getRoutine('triage-kill')).version).toBe(result.promoted);

  // Each eval ran once (one row, one workflow execution), with each of its cases once.
  const evalIds = [`${evalPrefix}baseline`, ...result.candidates.map((c) => `${evalPrefix}v${c.version}`)];
  const evals = await evalsOf(evalPrefix);
  expect(evals.map((e) => e.eval_id).sort()).toEqual([...evalIds].sort());
  expect(evals.every((e) => e.status === 'completed')).toBe(true);
  const cases = await stack.client.db
    .selectFrom('eval_cases')
    .select(['eval_id', 'ordinal', 'run_id'])
    .where('tenant_id', '=', tenantId)
    .where('eval_id', 'like', `${evalPrefix}%`)
    .execute();
  for (const evalId of evalIds) {
    const ofEval = cases.filter((c) => c.eval_id === evalId);
    expect(ofEval.map((c) => c.ordinal).sort(), evalId).toEqual([1, 2, 3, 4]);
  }
  expect(await executions(`eval/${evalPrefix}`)).toEqual(
    Object.fromEntries(evalIds.map((id) => [`eval/${id}`, 1])),
  );
  const caseRuns = await executions(`run/${evalPrefix}`);
  expect(Object.keys(caseRuns)).toHaveLength(evalIds.length * billingTickets.length);
  expect(Object.values(caseRuns).every((count) => count === 1)).toBe(true);

  // The model was asked once per case, but for the four turns the killed worker held: asked again.
  const asked = (model: string) => standIn.chatRequests().filter((body) => body.model === model).length;
  expect(asked('premium')).toBe(2 * billingTickets.length);
  const other = heldModel === 'budget' ? 'sloppy' : 'budget';
  expect(asked(heldModel as string)).toBe(2 * billingTickets.length);
  expect(asked(other)).toBe(billingTickets.length);
}, 180_000);

function evalsOf(prefix: string) {
  return stack.client.db
    .selectFrom('eval_runs')
    .select(['eval_id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('eval_id', 'like', `${prefix}%`)
    .execute();
}

/** How many executions each workflow whose id starts with `prefix` had. */
async function executions(prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const query = `WorkflowId STARTS_WITH "${prefix}"`;
  for await (const execution of stack.client.temporal.workflow.list({ query })) {
    counts[execution.workflowId] = (counts[execution.workflowId] ?? 0) + 1;
  }
  return counts;
}
