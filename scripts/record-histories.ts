/**
 * Records the event histories the replay test runs: starts a throwaway stack, runs each sample
 * routine, and writes each workflow's id and history (children included) to test/histories/.
 * Run it when a workflow change is released: `node --import tsx scripts/record-histories.ts`.
 * Name samples to record only those (`... record-histories.ts tier3-patches`): the others keep
 * their histories, so runs recorded before a patch go on replaying its old branch. The
 * tier3-patches sample needs the offline AI config: SWARMFLOW_CONFIG=examples/ai/swarmflow.config.json;
 * the demo-swarm sample the demo's: SWARMFLOW_CONFIG=examples/demo/swarmflow.config.json.
 * The eval samples (eval-greeting, eval-denied-http) record an eval workflow and its case runs.
 * The improvement-cycle sample records an improvement cycle (model selection on scripted models, a
 * pending proposal a person approves) with its eval workflows and their case runs; it needs
 * SWARMFLOW_CONFIG=test/fixtures/replay/improvement.config.json; so does improvement-canary (a cycle
 * that releases its candidate as a canary to live runs, then promotes it). eval-case-timeout records
 * an eval whose case waits at a user task past its case timeout.
 */

import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { readDemoCatalog, registerDemoCatalog } from '../client/demo-catalog.ts';
import { withEmbeddedStack } from '../client/embedded.ts';
import { readRoutineFile } from '../client/routine-files.ts';
import type { SwarmflowClient } from '../client/sdk.ts';
import { ensureTemporalCli } from '../client/server/temporal-cli.ts';
import type { EvalCase, EvalToolPolicy } from '../schema/evaluation.ts';
import type { Variables } from '../schema/json.ts';
import type { RunLimitsInput } from '../schema/limits.ts';
import { registerWithRuns } from '../test/support/triage.ts';

const root = new URL('../', import.meta.url);
const DEMO_SWARM = 'demo-swarm';
interface Sample {
  name: string;
  file: string;
  input: Variables;
  limits?: RunLimitsInput;
  /** What people and other systems do while the run waits. */
  drive?: (client: SwarmflowClient, runId: string) => Promise<void>;
}

const samples: Sample[] = [
  {
    name: 'order-fulfilment',
    file: 'examples/order-fulfilment.bpmn',
    input: { quantity: 3, unitPrice: 42.5 },
  },
  {
    name: 'order-fulfilment-review',
    file: 'examples/order-fulfilment.bpmn',
    input: { quantity: 30, unitPrice: 42.5 },
  },
  // Recorded after the forks-in-the-run patch: the same fork's branches run in the run, not as children.
  {
    name: 'order-fulfilment-in-run',
    file: 'examples/order-fulfilment.bpmn',
    input: { quantity: 3, unitPrice: 42.5 },
  },
  { name: 'greeting-sequence', file: 'examples/greeting.sequence.json', input: { name: 'Ada' } },
  // Recorded after the budget-before-steps patch: deterministic steps checked against the run's budgets.
  { name: 'greeting-budgeted', file: 'examples/greeting.sequence.json', input: { name: 'Grace' } },
  {
    name: 'document-review',
    file: 'examples/document-review.bpmn',
    input: { caseId: 'case-1', documents: ['passport', 'payslip'] },
    drive: async (client, runId) => {
      await until(async () => (await client.getRunState(runId)).activeElements.includes('approve'));
      await client.completeTask(runId, { elementId: 'approve', output: { approved: true } });
      await until(async () => (await client.getRunState(runId)).activeElements.includes('wait_archive'));
      await client.publishMessage({ name: 'case-archived', correlationKey: 'case-1' });
    },
  },
  {
    name: 'routing',
    file: 'test/fixtures/replay/routing.bpmn',
    input: { x: 2, caseId: 'c-1' },
  },
  {
    name: 'long-loop',
    file: 'test/fixtures/replay/long-loop.bpmn',
    input: { n: 0 },
    limits: { historyEventsBeforeContinueAsNew: 100 },
  },
  {
    name: 'tier3-patches',
    file: 'test/fixtures/replay/tier3-patches.json',
    input: { name: 'Ada' },
    drive: async (client, runId) => {
      await until(async () => (await client.getRunState(runId)).status === 'incident');
      await client.cancelRun(runId);
    },
  },
];

async function until(condition: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts && !(await condition()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function record(client: SwarmflowClient): Promise<void> {
  const named = process.argv.slice(2);
  const wanted = ({ name }: { name: string }) => named.length === 0 || named.includes(name);
  for (const sample of samples.filter(wanted)) {
    const definition = await readRoutineFile(new URL(sample.file, root).pathname);
    const { id } = await client.registerRoutine({
      ...definition,
      ...(sample.limits ? { limits: sample.limits } : {}),
    });
    const { runId, workflowId } = await client.startRun({
      routineId: id,
      input: sample.input,
      runId: sample.name,
    });
    await sample.drive?.(client, runId);
    await client.awaitRun(runId);
    // Branches and multi-instance chunks are `<id>/…`; called runs are `<id>.…`.
    await saveHistories(client, sample.name, workflowId, [`${workflowId}/`, `${workflowId}.`]);
  }
  if (wanted({ name: DEMO_SWARM })) await recordDemoSwarm(client);
  for (const sample of evalSamples.filter(wanted)) await recordEval(client, sample);
  if (wanted({ name: IMPROVEMENT_CYCLE })) await recordImprovementCycle(client);
  if (wanted({ name: IMPROVEMENT_CANARY })) await recordImprovementCanary(client);
}

const IMPROVEMENT_CYCLE = 'improvement-cycle';
/** The evidence runs of the improvement samples, as recorded. */
const tickets = ['my invoice is wrong', 'charged twice', 'refund my payment', 'billing address'];

/**
 * A full improvement cycle: four runs of a one-step routine on the premium model are its evidence;
 * model selection proposes budget (as good, cheaper) and sloppy (worse); the baseline and both
 * candidates are evaluated as child evals; sloppy is rejected by the rule, budget waits as a
 * pending proposal until a person approves it, and the cycle promotes it.
 */
async function recordImprovementCycle(client: SwarmflowClient): Promise<void> {
  const routineId = 'triage-replay';
  await registerWithRuns(client, routineId, {}, tickets);
  const { cycleId } = await client.improvement.start({
    routineId,
    cycle: IMPROVEMENT_CYCLE,
    optimizers: ['modelSelection'],
  });
  await until(
    async () => (await client.improvement.proposals({ routineId, decision: 'pending' })).length === 1,
    1800,
  );
  await client.improvement.approve({ proposal: cycleId, decidedBy: 'recorder', deciderRoles: ['approver'] });
  const result = await client.improvement.result(cycleId);
  if (result.promoted === null) throw new Error(`the cycle promoted nothing: ${JSON.stringify(result)}`);
  // Its evals are `eval/<eval id>`, their case runs `run/<eval id>:case-<n>`, the eval ids `improve.<…>.<role>`.
  const evalPrefix = cycleId.replace(/[^\w.-]/g, '.');
  await saveHistories(client, IMPROVEMENT_CYCLE, cycleId, [`eval/${evalPrefix}.`, `run/${evalPrefix}.`]);
}

const IMPROVEMENT_CANARY = 'improvement-canary';

/**
 * Recorded after the improvement-canary patch: a cycle whose routine's policy promotes by itself
 * through a canary at 50%; live runs go on until the canary's runs held up and it is made active.
 */
async function recordImprovementCanary(client: SwarmflowClient): Promise<void> {
  const routineId = 'triage-canary-replay';
  await registerWithRuns(
    client,
    routineId,
    {
      improvement: {
        autoPromote: true,
        optimizers: ['modelSelection'],
        canary: { percent: 50, minRuns: 2, checkEveryMs: 1000, maxDurationMs: 120_000 },
      },
    },
    tickets,
  );
  const { cycleId } = await client.improvement.start({ routineId, cycle: IMPROVEMENT_CANARY });
  const result = client.improvement.result(cycleId);
  let ended = false;
  void result.finally(() => {
    ended = true;
  });
  for (let n = 0; !ended && n < 600; n++) {
    await client.startRun({ routineId, input: { text: `invoice ${n}` } });
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const { canary } = await result;
  if (canary?.outcome !== 'promoted')
    throw new Error(`the canary was not promoted: ${JSON.stringify(canary)}`);
  const evalPrefix = cycleId.replace(/[^\w.-]/g, '.');
  await saveHistories(client, IMPROVEMENT_CANARY, cycleId, [`eval/${evalPrefix}.`, `run/${evalPrefix}.`]);
}

interface EvalSample {
  name: string;
  file: string;
  cases: EvalCase[];
  toolPolicy?: EvalToolPolicy;
  caseTimeoutMs?: number;
}

const evalSamples: EvalSample[] = [
  {
    name: 'eval-greeting',
    file: 'examples/greeting.sequence.json',
    cases: [
      { input: { name: 'Ada' }, expected: { greeting: 'Hello, Ada', length: 11 } },
      { input: { name: 'Bo' }, expected: { greeting: 'Hi, Bo', length: 10 } },
    ],
  },
  // Denied in the eval: exercises the eval tool policy (patch eval-tool-policy) and a failed case.
  {
    name: 'eval-denied-http',
    file: 'test/fixtures/replay/eval-denied-http.json',
    cases: [{ input: { name: 'Ada' }, expected: { greeting: 'Hello, Ada' } }],
    toolPolicy: 'deny',
  },
  // Recorded after the eval-case-timeout patch: a case waiting at a user task is cancelled at its timeout.
  {
    name: 'eval-case-timeout',
    file: 'test/fixtures/replay/eval-approval.bpmn',
    cases: [
      { input: { amount: 500 }, expected: { ok: true } },
      { input: { amount: 5 }, expected: { ok: true } },
    ],
    caseTimeoutMs: 3000,
  },
];

/** An eval with its case runs (`run/<eval id>:case-<n>`). */
async function recordEval(client: SwarmflowClient, sample: EvalSample): Promise<void> {
  const definition = await readRoutineFile(new URL(sample.file, root).pathname);
  const { id } = await client.registerRoutine(definition);
  const { evalId, workflowId } = await client.evals.start({
    routineId: id,
    cases: sample.cases,
    evalId: sample.name,
    concurrency: 1,
    ...(sample.toolPolicy ? { toolPolicy: sample.toolPolicy } : {}),
    ...(sample.caseTimeoutMs ? { caseTimeoutMs: sample.caseTimeoutMs } : {}),
  });
  await client.evals.result(evalId);
  await saveHistories(client, sample.name, workflowId, [`run/${evalId}:`]);
}

/** The demo's swarm, with its child runs: needs the demo's scripted models, SWARMFLOW_CONFIG=examples/demo/swarmflow.config.json. */
async function recordDemoSwarm(client: SwarmflowClient): Promise<void> {
  const catalog = await readDemoCatalog();
  await registerDemoCatalog(client, catalog);
  const { workflowId } = await client.swarms.start(catalog.goal, {
    swarmId: DEMO_SWARM,
    input: catalog.input,
    requirements: catalog.requirements,
  });
  await client.swarms.result(DEMO_SWARM);
  await saveHistories(client, DEMO_SWARM, workflowId, [`run/${DEMO_SWARM}:`, `swarm/${DEMO_SWARM}.`]);
}

/** Writes the histories of `workflowId` and of the workflows whose ids start with `childPrefixes`. */
async function saveHistories(
  client: SwarmflowClient,
  name: string,
  workflowId: string,
  childPrefixes: string[],
): Promise<void> {
  const ids = [workflowId];
  const query = childPrefixes.map((prefix) => `WorkflowId STARTS_WITH "${prefix}"`).join(' OR ');
  for await (const child of client.temporal.workflow.list({ query })) ids.push(child.workflowId);
  for (const [index, id] of ids.entries()) {
    const file = new URL(`test/histories/${name}${index === 0 ? '' : `.child-${index}`}.json`, root);
    const history = JSON.parse(await showHistory(client.config.temporalAddress, id));
    await writeFile(file, JSON.stringify({ workflowId: id, history }));
    process.stdout.write(`recorded ${id} -> ${file.pathname}\n`);
  }
}

/** The history as `temporal workflow show --output json` prints it, the form replay tests load. */
async function showHistory(address: string, workflowId: string): Promise<string> {
  const temporal = await ensureTemporalCli();
  const args = ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', address];
  const { stdout } = await promisify(execFile)(temporal, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

await withEmbeddedStack(record);
