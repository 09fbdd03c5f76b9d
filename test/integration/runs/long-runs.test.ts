import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

it('continues a long loop as new before its history grows large, keeping variables and counters', async () => {
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start" />
    ${scriptTask('count', 'n + 1', 'n')}
    <bpmn:exclusiveGateway id="again" default="again_to_end" />
    <bpmn:endEvent id="end" />
    ${flows(['start', 'count'], ['count', 'again'], ['again', 'count', 'n < 40'], ['again', 'end'])}`);
  await stack.client.registerRoutine({
    id: 'long-loop',
    body: { kind: 'bpmn', xml },
    limits: { historyEventsBeforeContinueAsNew: 100 },
  });
  const { runId, workflowId } = await stack.client.startRun({ routineId: 'long-loop', input: { n: 0 } });
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({ status: 'completed', outputs: { n: 40 } });
  expect(outcome.trace.filter((t) => t.elementId === 'count')).toHaveLength(40);
  expect(outcome.trace.at(-1)).toEqual({ elementId: 'end', type: 'endEvent', status: 'completed' });
  const executions: string[] = [];
  for await (const execution of stack.client.temporal.workflow.list({
    query: `WorkflowId = "${workflowId}"`,
  })) {
    executions.push(execution.status.name);
  }
  expect(executions.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
  expect(executions).toContain('COMPLETED');
  const steps = await stack.client.db
    .selectFrom('run_steps')
    .select('step_key')
    .where('run_id', '=', runId)
    .execute();
  expect(new Set(steps.map((s) => s.step_key)).size).toBe(40);
});
