import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHILD_CHUNK_SIZE } from '../../../workflows/runtime/multi-instance.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

it('fans a large parallel multi-instance out as child workflows, keeping outputs in input order', async () => {
  const loop = `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
    <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="squares" outputElement="=square" />
  </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`;
  const xml = bpmnProcess(`
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="square"><bpmn:extensionElements><zeebe:script expression="=item * item" resultVariable="square" /></bpmn:extensionElements>${loop}</bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    ${flows(['start', 'square'], ['square', 'end'])}`);
  await stack.client.registerRoutine({ id: 'large-mi', body: { kind: 'bpmn', xml } });
  const items = Array.from({ length: CHILD_CHUNK_SIZE * 2 + 3 }, (_, index) => index + 1);
  const { runId, workflowId } = await stack.client.startRun({ routineId: 'large-mi', input: { items } });
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome.status).toBe('completed');
  expect(outcome.outputs.squares).toEqual(items.map((n) => n * n));
  expect(outcome.outputs).not.toHaveProperty('square');
  expect(outcome.trace.filter((t) => t.elementId === 'square' && t.type === 'scriptTask')).toHaveLength(
    items.length,
  );
  const children: string[] = [];
  for await (const child of stack.client.temporal.workflow.list({
    query: `WorkflowId STARTS_WITH "${workflowId}/"`,
  })) {
    children.push(child.workflowId);
  }
  expect(children).toHaveLength(3);
});
