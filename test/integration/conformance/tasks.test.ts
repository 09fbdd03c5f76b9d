import { describe, expect, it } from 'vitest';
import {
  bpmnDefinitions,
  bpmnProcess,
  element,
  flows,
  ioMapping,
  messageElement,
  scriptTask,
  serviceTask,
  taskDefinition,
  zeebeScript,
} from '../../support/bpmn.ts';
import { entry, pollUntil, uniqueKey, useConformance } from './conformance.ts';

const conformance = useConformance();

describe.concurrent('Tasks (Zeebe semantics)', () => {
  it('completes an undefined task and a manual task as soon as a token reaches them', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:task id="noop" />
      <bpmn:manualTask id="by_hand" />
      <bpmn:endEvent id="end" />
      ${flows(['start', 'noop'], ['noop', 'by_hand'], ['by_hand', 'end'])}`);
    const outcome = await conformance.run('task-manual', xml, { kept: 1 });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ kept: 1 });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('noop', 'task'),
      entry('by_hand', 'manualTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('runs a service task by its zeebe:taskDefinition type; with output mappings only they propagate', async () => {
    const mapping = ioMapping({ inputs: [['amount * 2', 'doubled']], outputs: [['doubled + 1', 'total']] });
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${serviceTask('compute', 'echo', {}, mapping)}
      ${serviceTask('stamp', 'set', { greeting: '="hello " + name', label: 'static text' })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'compute'], ['compute', 'stamp'], ['stamp', 'end'])}`);
    const outcome = await conformance.run('service-task', xml, { amount: 5, name: 'ada' });
    expect(outcome.status).toBe('completed');
    // `doubled` is a local of `compute` (input mapping) and echo's result goes out only through the output mapping.
    expect(outcome.outputs).toEqual({
      amount: 5,
      name: 'ada',
      total: 11,
      greeting: 'hello ada',
      label: 'static text',
    });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('compute', 'serviceTask'),
      entry('stamp', 'serviceTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('evaluates a zeebe:script script task in FEEL into its result variable', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${scriptTask('total', 'sum(for line in lines return line.price * line.qty)', 'total')}
      ${scriptTask('label', '"order of " + string(count(lines)) + " lines"', 'label')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'total'], ['total', 'label'], ['label', 'end'])}`);
    const lines = [
      { price: 2, qty: 3 },
      { price: 5, qty: 1 },
    ];
    const outcome = await conformance.run('script-task', xml, { lines });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ lines, total: 11, label: 'order of 2 lines' });
    expect(outcome.trace.map((e) => e.type)).toEqual(['startEvent', 'scriptTask', 'scriptTask', 'endEvent']);
  });

  it('runs a script task with a zeebe:taskDefinition as a job of that type', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('scriptTask', 'greet', { extensions: [taskDefinition('set', { headers: { greeting: '="hi " + name' } })] })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'greet'], ['greet', 'end'])}`);
    const outcome = await conformance.run('script-job', xml, { name: 'bo' });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { name: 'bo', greeting: 'hi bo' } });
    expect(outcome.trace).toContainEqual(entry('greet', 'scriptTask'));
  });

  it('runs a business rule task with a zeebe:taskDefinition as a job', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('businessRuleTask', 'decide', { extensions: [taskDefinition('set', { headers: { approved: '=amount < 1000' } })] })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'decide'], ['decide', 'end'])}`);
    const outcome = await conformance.run('business-rule', xml, { amount: 250 });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { amount: 250, approved: true } });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('decide', 'businessRuleTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('runs a send task as a job of its task type', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('sendTask', 'notify', { extensions: [taskDefinition('set', { headers: { notified: '=recipient' } })] })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'notify'], ['notify', 'end'])}`);
    const outcome = await conformance.run('send-task', xml, { recipient: 'ops@example.com' });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { notified: 'ops@example.com' } });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('notify', 'sendTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('waits at a user task until it is completed through the SDK, then merges its output', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('userTask', 'approve', {
        attributes: 'name="Approve the order"',
        extensions: [
          '<zeebe:userTask />',
          '<zeebe:assignmentDefinition assignee="=requester" candidateGroups="ops, finance" />',
          '<zeebe:taskSchedule dueDate="2030-01-01T09:00:00Z" />',
        ],
      })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'approve'], ['approve', 'end'])}`);
    const runId = await conformance.start('user-task', xml, { requester: 'ada', amount: 99 });
    const waiting = await conformance.waitUntilActive(runId, 'approve');
    expect(waiting.status).toBe('running');
    const [opened] = await pollUntil(
      'the open task in the read model',
      () => conformance.stack.client.listTasks({ runId, status: 'open' }),
      (tasks) => tasks.length === 1,
    );
    expect(opened).toMatchObject({
      runId,
      elementId: 'approve',
      name: 'Approve the order',
      assignee: 'ada',
      candidateGroups: ['ops', 'finance'],
      status: 'open',
      variables: { requester: 'ada', amount: 99 },
    });
    expect(opened?.dueDate?.toISOString()).toBe('2030-01-01T09:00:00.000Z');

    await conformance.completeTask(runId, 'approve', { approved: true, comment: 'fine' });
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ requester: 'ada', amount: 99, approved: true, comment: 'fine' });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('approve', 'userTask'),
      entry('end', 'endEvent'),
    ]);
    const [closed] = await conformance.stack.client.listTasks({ runId });
    expect(closed).toMatchObject({ status: 'completed', output: { approved: true, comment: 'fine' } });
  });

  it('waits at a receive task for its correlated message and maps the payload out', async () => {
    const orderId = uniqueKey('order');
    const xml = bpmnDefinitions(
      {
        receive_process: `
          <bpmn:startEvent id="start" />
          ${element('receiveTask', 'await_payment', {
            attributes: 'messageRef="payment"',
            extensions: [ioMapping({ outputs: [['amount * 100', 'cents']] })],
          })}
          <bpmn:endEvent id="end" />
          ${flows(['start', 'await_payment'], ['await_payment', 'end'])}`,
      },
      messageElement('payment', 'conf-payment-received', 'orderId'),
    );
    const runId = await conformance.start('receive-task', xml, { orderId });
    await conformance.waitForSubscription(runId, 'conf-payment-received', orderId);
    await conformance.stack.client.publishMessage({
      name: 'conf-payment-received',
      correlationKey: orderId,
      variables: { amount: 12.5 },
      ttlMs: 0,
    });
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ orderId, cents: 1250 });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('await_payment', 'receiveTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('keeps a zeebe:script result in the variable it names, next to an input-mapped local', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('scriptTask', 'scaled', {
        extensions: [zeebeScript('base * factor', 'scaled'), ioMapping({ inputs: [['10', 'factor']] })],
      })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'scaled'], ['scaled', 'end'])}`);
    const outcome = await conformance.run('script-local-input', xml, { base: 4 });
    expect(outcome.status).toBe('completed');
    // `factor` is local to the task (input mapping); the result variable propagates to the process.
    expect(outcome.outputs).toEqual({ base: 4, scaled: 40 });
  });
});
