import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Variables } from '../../../schema/json.ts';
import { bpmnProcess, flows, forkBranches, scriptTask, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker();
});
afterAll(() => stack?.stop());

async function run(id: string, xml: string, input: Variables = {}) {
  await stack.client.registerRoutine({ id, body: { kind: 'bpmn', xml } });
  const { runId } = await stack.client.startRun({ routineId: id, input });
  return stack.client.awaitRun(runId);
}

const elementIds = (trace: { elementId: string }[]) => trace.map((t) => t.elementId);

describe('BPMN elements on Temporal', () => {
  it('runs none start and end events, a plain task and a script task', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:task id="noop" />
      ${scriptTask('double', 'x * 2', 'y')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'noop'], ['noop', 'double'], ['double', 'end'])}`);
    const outcome = await run('plain-and-script', xml, { x: 21 });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { x: 21, y: 42 } });
    expect(outcome.trace).toEqual([
      { elementId: 'start', type: 'startEvent', status: 'completed' },
      { elementId: 'noop', type: 'task', status: 'completed' },
      { elementId: 'double', type: 'scriptTask', status: 'completed' },
      { elementId: 'end', type: 'endEvent', status: 'completed' },
    ]);
  });

  it('runs service tasks through the task-type registry with io mappings in FEEL', async () => {
    const mapping = `<zeebe:ioMapping>
        <zeebe:input source="=order.items[1].price * 2" target="doubled" />
        <zeebe:output source="=doubled + 1" target="result.value" />
      </zeebe:ioMapping>`;
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${serviceTask('compute', 'echo', {}, mapping)}
      ${serviceTask('stamp', 'set', { stamped: '=result.value > 10', label: 'fixed text' })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'compute'], ['compute', 'stamp'], ['stamp', 'end'])}`);
    const outcome = await run('service-io', xml, { order: { items: [{ price: 7 }] } });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({
      order: { items: [{ price: 7 }] },
      result: { value: 15 },
      stamped: true,
      label: 'fixed text',
    });
  });

  it('routes an exclusive gateway by condition and by default flow', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="route" default="route_to_small" />
      ${scriptTask('large', '"large"', 'size')}
      ${scriptTask('small', '"small"', 'size')}
      <bpmn:exclusiveGateway id="merge" />
      <bpmn:endEvent id="end" />
      ${flows(['start', 'route'], ['route', 'large', 'amount > 100'], ['route', 'small'], ['large', 'merge'], ['small', 'merge'], ['merge', 'end'])}`);
    expect((await run('exclusive', xml, { amount: 500 })).outputs.size).toBe('large');
    const small = await run('exclusive', xml, { amount: 5 });
    expect(small.outputs.size).toBe('small');
    expect(elementIds(small.trace)).toEqual(['start', 'route', 'small', 'merge', 'end']);
  });

  it('parks the run as an incident on the gateway when no condition is true, and resumes once resolved', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="route" />
      ${scriptTask('large', '"large"', 'size')}
      ${scriptTask('small', '"small"', 'size')}
      <bpmn:endEvent id="end_large" />
      <bpmn:endEvent id="end_small" />
      ${flows(['start', 'route'], ['route', 'large', 'amount > 100'], ['route', 'small', 'amount < 10'], ['large', 'end_large'], ['small', 'end_small'])}`);
    await stack.client.registerRoutine({ id: 'no-match', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'no-match', input: { amount: 50 } });
    await expect.poll(async () => (await stack.client.getRunState(runId)).status).toBe('incident');
    const state = await stack.client.getRunState(runId);
    expect(state.incident?.elementId).toBe('route');
    expect(state.incident?.message).toContain('no outgoing sequence flow has a true condition');
    expect(state.activeElements).toEqual(['route']);
    await stack.client.resolveIncident(runId, { variables: { amount: 500 } });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { amount: 500, size: 'large' } });
    expect(elementIds(outcome.trace)).toEqual(['start', 'route', 'large', 'end_large']);
  });

  it.each([
    { where: 'run', children: 0 },
    { where: 'childWorkflows', children: 2 },
  ])(
    'runs a block-structured fork with swarmflow.forkBranches = $where and merges the variables of its branches',
    async ({ where, children }) => {
      const example = await readFile(
        new URL('../../../examples/order-fulfilment.bpmn', import.meta.url),
        'utf8',
      );
      const fork = '<bpmn:parallelGateway id="fulfil" name="Fulfil">';
      const xml = example.replace(
        fork,
        `${fork}<bpmn:extensionElements>${forkBranches(where)}</bpmn:extensionElements>`,
      );
      const outcome = await run(`order-fulfilment-${where}`, xml, { quantity: 3, unitPrice: 42.5 });
      expect(outcome.status).toBe('completed');
      expect(outcome.outputs).toEqual({
        quantity: 3,
        unitPrice: 42.5,
        subtotal: 127.5,
        reservation: 'R-3',
        shipping: 0,
        total: 127.5,
      });
      expect(elementIds(outcome.trace)).toEqual(
        expect.arrayContaining(['fulfil', 'reserve_stock', 'quote_shipping', 'fulfilled', 'total_order']),
      );
      expect(outcome.trace.filter((t) => t.elementId === 'fulfilled')).toHaveLength(1);
      const history = await stack.client.temporal.workflow.getHandle(`run/${outcome.runId}`).fetchHistory();
      const started = (history.events ?? []).filter(
        (event) => event.startChildWorkflowExecutionInitiatedEventAttributes,
      );
      expect(started).toHaveLength(children);
    },
  );

  it('runs an unstructured fork in the parent, joining by token count', async () => {
    // b1 leaves the fork and meets b2 at `join`, but b3 ends on its own: not block-structured.
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      ${scriptTask('b1', '1', 'one')}
      ${scriptTask('b2', '2', 'two')}
      ${scriptTask('b3', '3', 'three')}
      <bpmn:parallelGateway id="join" />
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="end3" />
      ${flows(['start', 'fork'], ['fork', 'b1'], ['fork', 'b2'], ['fork', 'b3'], ['b1', 'join'], ['b2', 'join'], ['b3', 'end3'], ['join', 'end'])}`);
    const outcome = await run('unstructured', xml);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { one: 1, two: 2, three: 3 } });
    expect(outcome.trace.filter((t) => t.elementId === 'join')).toHaveLength(1);
    expect(elementIds(outcome.trace)).toContain('end3');
  });
});
