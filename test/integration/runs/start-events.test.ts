import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

it('starts a run at a message start event when its message is published, once per message id', async () => {
  const xml = bpmnProcess(
    `
    <bpmn:startEvent id="order_placed"><bpmn:messageEventDefinition messageRef="placed" /></bpmn:startEvent>
    ${scriptTask('confirm', '"confirmed " + orderId', 'confirmation')}
    <bpmn:endEvent id="end" />
    ${flows(['order_placed', 'confirm'], ['confirm', 'end'])}
  </bpmn:process>
  <bpmn:message id="placed" name="order-placed" />
  <bpmn:process id="unused" isExecutable="false"><bpmn:startEvent id="u" />`,
    'message_started',
  );
  await stack.client.registerRoutine({ id: 'message-started', body: { kind: 'bpmn', xml } });
  const message = {
    name: 'order-placed',
    correlationKey: 'o-7',
    variables: { orderId: 'o-7' },
    messageId: 'm-7',
  };
  await stack.client.publishMessage(message);
  await stack.client.publishMessage(message);
  const runId = 'message-started.order_placed.m-7';
  const outcome = await stack.client.awaitRun(runId);
  expect(outcome).toMatchObject({
    status: 'completed',
    outputs: { orderId: 'o-7', confirmation: 'confirmed o-7' },
  });
  expect(outcome.trace[0]).toEqual({ elementId: 'order_placed', type: 'startEvent', status: 'completed' });
  const runs = await stack.client.listRuns({ routineId: 'message-started' });
  expect(runs).toHaveLength(1);
});

it('runs a routine on a schedule for its timer start event', async () => {
  const xml = bpmnProcess(
    `
    <bpmn:startEvent id="every_second"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    ${scriptTask('tick', '"tick"', 'result')}
    <bpmn:endEvent id="end" />
    ${flows(['every_second', 'tick'], ['tick', 'end'])}`,
    'ticker',
  );
  await stack.client.registerRoutine({ id: 'ticker', body: { kind: 'bpmn', xml } });
  const scheduleId = 'routine:default:ticker:ticker:every_second';
  const description = await stack.client.temporal.schedule.getHandle(scheduleId).describe();
  expect(description.action.workflowType).toBe('runWorkflow');
  await expect
    .poll(
      async () =>
        (await stack.client.listRuns({ routineId: 'ticker' })).filter((r) => r.status === 'completed'),
      {
        timeout: 30_000,
      },
    )
    .toHaveLength(2);
  expect((await stack.client.temporal.schedule.getHandle(scheduleId).describe()).state.remainingActions).toBe(
    0,
  );
  await stack.client.temporal.schedule.getHandle(scheduleId).delete();
});
