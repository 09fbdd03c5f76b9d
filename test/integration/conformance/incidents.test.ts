import { describe, expect, it } from 'vitest';
import { builtinTaskTypes } from '../../../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../../../activities/task-types/registry.ts';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import {
  bpmnDefinitions,
  bpmnProcess,
  element,
  errorDefinition,
  errorElement,
  flows,
  multiInstance,
  scriptTask,
  taskDefinition,
  timerDefinition,
  zeebeScript,
} from '../../support/bpmn.ts';
import { entriesOf, entry, pollUntil, useConformance } from './conformance.ts';

/** Attempts of the `flaky` task type, by the run's `attemptKey` variable. */
const attempts = new Map<string, number>();

const taskTypes = new TaskTypeRegistry({
  ...builtinTaskTypes,
  /** Fails (retryably) until the variable `fixed` is true. */
  flaky: async ({ variables }) => {
    const key = String(variables.attemptKey);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    if (variables.fixed !== true) throw new Error('the charge service is down');
    return { charged: true };
  },
});

const conformance = useConformance({ taskTypes });

describe.concurrent('Incidents', () => {
  it('exclusive gateway with no true condition and no default: incident, then resolved with variables', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="route" />
      ${scriptTask('large', '"large"', 'size')}
      ${scriptTask('small', '"small"', 'size')}
      <bpmn:endEvent id="end_large" />
      <bpmn:endEvent id="end_small" />
      ${flows(
        ['start', 'route'],
        ['route', 'large', 'amount > 100'],
        ['route', 'small', 'amount < 10'],
        ['large', 'end_large'],
        ['small', 'end_small'],
      )}`);
    const runId = await conformance.start('incident-gateway', xml, { amount: 50 });
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident?.elementId).toBe('route');
    expect(parked.incident?.message).toContain('no outgoing sequence flow has a true condition');
    expect(parked.activeElements).toEqual(['route']);
    expect(parked.trace).toEqual([entry('start', 'startEvent')]);

    // Visible to the SDK's run list and as Temporal search attribute.
    await pollUntil(
      'the run listed with status incident',
      async () => (await conformance.stack.client.listRuns({ status: 'incident' })).map((r) => r.runId),
      (runIds) => runIds.includes(runId),
    );
    const query = `WorkflowId = 'run/${runId}' AND ${SearchAttributes.status.name} = 'incident'`;
    await pollUntil(
      'the SwarmflowStatus search attribute at incident',
      async () => (await conformance.stack.client.temporal.workflow.count(query)).count,
      (count) => count === 1,
    );

    await conformance.stack.client.resolveIncident(runId, { variables: { amount: 500 } });
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ amount: 500, size: 'large' });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('route', 'exclusiveGateway'),
      entry('large', 'scriptTask'),
      entry('end_large', 'endEvent'),
    ]);
  });

  it('inclusive gateway with no true condition and no default is an incident too', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:inclusiveGateway id="fork" />
      ${scriptTask('a', '"a"', 'a')}
      ${scriptTask('b', '"b"', 'b')}
      <bpmn:inclusiveGateway id="join" />
      <bpmn:endEvent id="end" />
      ${flows(['start', 'fork'], ['fork', 'a', 'x > 0'], ['fork', 'b', 'x > 10'], ['a', 'join'], ['b', 'join'], ['join', 'end'])}`);
    const runId = await conformance.start('incident-inclusive', xml, { x: -5 });
    expect((await conformance.waitForIncident(runId)).incident?.elementId).toBe('fork');
    await conformance.stack.client.resolveIncident(runId, { variables: { x: 5 } });
    const outcome = await conformance.result(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { x: 5, a: 'a' } });
    expect(entriesOf(outcome.trace, 'join')).toHaveLength(1);
  });

  it('a task failing after its retries is an incident on the task; resolving retries it', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('serviceTask', 'charge', { extensions: [taskDefinition('flaky', { retries: 1 })] })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'charge'], ['charge', 'end'])}`);
    const attemptKey = `flaky-${Date.now()}`;
    const runId = await conformance.start('incident-task-retries', xml, { attemptKey });
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident?.elementId).toBe('charge');
    expect(parked.incident?.message).toContain('the charge service is down');
    // retries="1": the first attempt and one retry.
    expect(attempts.get(attemptKey)).toBe(2);

    await conformance.stack.client.resolveIncident(runId, { variables: { fixed: true } });
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ attemptKey, fixed: true, charged: true });
    expect(attempts.get(attemptKey)).toBe(3);
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('charge', 'serviceTask'),
      entry('end', 'endEvent'),
    ]);
  });

  it('an error end event that nothing catches is an incident on that event', async () => {
    const xml = bpmnDefinitions(
      {
        error_process: `
          <bpmn:startEvent id="start" />
          ${element('subProcess', 'inner', {
            body: `
              <bpmn:startEvent id="inner_start" />
              <bpmn:endEvent id="fail">${errorDefinition('nobody_catches')}</bpmn:endEvent>
              ${flows(['inner_start', 'fail'])}`,
          })}
          <bpmn:endEvent id="end" />
          ${flows(['start', 'inner'], ['inner', 'end'])}`,
      },
      errorElement('nobody_catches', 'UNCAUGHT'),
    );
    const runId = await conformance.start('incident-uncaught-error', xml);
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident?.elementId).toBe('fail');
    expect(parked.incident?.message).toContain('UNCAUGHT');
    expect(parked.activeElements).toEqual(expect.arrayContaining(['inner', 'fail']));
    await conformance.stack.client.cancelRun(runId);
    expect((await conformance.result(runId)).status).toBe('cancelled');
  });

  it('a multi-instance input collection that is not a list is an incident; resolving it goes on', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('scriptTask', 'each', {
        extensions: [zeebeScript('item * 2', 'r')],
        body: multiInstance({
          inputCollection: 'items',
          inputElement: 'item',
          outputCollection: 'doubled',
          outputElement: 'r',
        }),
      })}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'each'], ['each', 'end'])}`);
    const runId = await conformance.start('incident-input-collection', xml, { items: 3 });
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident?.elementId).toBe('each');
    await conformance.stack.client.resolveIncident(runId, { variables: { items: [1, 2, 3] } });
    const outcome = await conformance.result(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { items: [1, 2, 3], doubled: [2, 4, 6] } });
  });

  it('a timer whose expression gives no ISO 8601 value is an incident; resolving it goes on', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:intermediateCatchEvent id="wait">${timerDefinition('duration', '=delay')}</bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end" />
      ${flows(['start', 'wait'], ['wait', 'end'])}`);
    const runId = await conformance.start('incident-timer-value', xml, { delay: 'soon' });
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident).toMatchObject({ elementId: 'wait' });
    expect(parked.incident?.message).toContain('soon');
    await conformance.stack.client.resolveIncident(runId, { variables: { delay: 'PT0S' } });
    const outcome = await conformance.result(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { delay: 'PT0S' } });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('wait', 'intermediateCatchEvent'),
      entry('end', 'endEvent'),
    ]);
  });

  it('resolving a run that has no incident is refused', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${element('userTask', 'hold')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'hold'], ['hold', 'end'])}`);
    const runId = await conformance.start('incident-none', xml);
    await conformance.waitUntilActive(runId, 'hold');
    await expect(conformance.stack.client.resolveIncident(runId, {})).rejects.toThrow(/no open incident/);
    await conformance.stack.client.cancelRun(runId);
  });
});
