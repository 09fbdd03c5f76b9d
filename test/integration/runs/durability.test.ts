import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { killWorkerProcess, startWorkerProcess } from '../../support/worker-process.ts';

const STEPS = ['s1', 's2', 's3', 's4', 's5', 's6'];

let stack: TestStack;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stack?.stop();
});

function startWorker(): Promise<ChildProcess> {
  return startWorkerProcess(stack.config).then((worker) => {
    workers.push(worker);
    return worker;
  });
}

it('finishes a run after its worker is killed mid-run, recording no step twice', async () => {
  const tasks = STEPS.map((id) => serviceTask(id, 'sleep', { ms: '700' })).join('\n');
  const chain = ['start', ...STEPS, 'end'];
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start" />
    ${tasks}
    <bpmn:endEvent id="end" />
    ${flows(...chain.slice(1).map((id, i) => [chain[i] as string, id] as [string, string]))}`);
  await stack.client.registerRoutine({
    id: 'slow-chain',
    body: { kind: 'bpmn', xml },
    limits: { stepTimeoutMs: 3000 },
  });

  const first = await startWorker();
  const { runId } = await stack.client.startRun({ routineId: 'slow-chain' });
  await expect
    .poll(async () => (await stack.client.getRunState(runId)).stepsExecuted, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  await killWorkerProcess(first);

  await startWorker();
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome.status).toBe('completed');
  expect(outcome.trace.map((t) => t.elementId)).toEqual(chain);
  const steps = await stack.client.db
    .selectFrom('run_steps')
    .select('step_key')
    .where('run_id', '=', runId)
    .execute();
  expect(steps.map((s) => s.step_key).sort()).toEqual(STEPS.map((id) => `${id}#1`));
}, 120_000);
