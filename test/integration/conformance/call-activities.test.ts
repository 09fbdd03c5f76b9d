import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../../schema/run.ts';
import {
  boundaryEvent,
  bpmnDefinitions,
  bpmnProcess,
  callActivity,
  errorDefinition,
  errorElement,
  flows,
  ioMapping,
  scriptTask,
} from '../../support/bpmn.ts';
import { entry, pollUntil, useConformance } from './conformance.ts';

const conformance = useConformance();

/** The child process: y = x * 10, plus a variable the parent should only see when propagated. */
const childProcess = `
  <bpmn:startEvent id="child_start" />
  ${scriptTask('times_ten', 'x * 10', 'y')}
  ${scriptTask('note', '"child only"', 'secret')}
  <bpmn:endEvent id="child_end" />
  ${flows(['child_start', 'times_ten'], ['times_ten', 'note'], ['note', 'child_end'])}`;

/** start -> `call` (its XML) -> end, with `extra` elements and flows. */
function caller(call: string, extra = '', extraFlows: [string, string][] = []): string {
  return `
    <bpmn:startEvent id="start" />
    ${call}
    <bpmn:endEvent id="end" />
    ${extra}
    ${flows(['start', 'call'], ['call', 'end'], ...extraFlows)}`;
}

/** The outcome of the child run a call activity of run `runId` started (a `run/<runId>.…` workflow). */
async function childOutcome(runId: string): Promise<RunOutcome> {
  const { workflow } = conformance.stack.client.temporal;
  const query = `WorkflowId STARTS_WITH "run/${runId}."`;
  await pollUntil(
    `a child run of ${runId}`,
    async () => (await workflow.count(query)).count,
    (n) => n === 1,
  );
  for await (const execution of workflow.list({ query })) {
    return workflow.getHandle(execution.workflowId).result() as Promise<RunOutcome>;
  }
  throw new Error(`no child run of ${runId}`);
}

describe.concurrent('Call activities', () => {
  it('calls a process of the same file as a child run and takes back all its variables', async () => {
    const xml = bpmnDefinitions({
      main_process: caller(callActivity('call', 'child_process')),
      child_process: childProcess,
    });
    const outcome = await conformance.run('call-same-file', xml, { x: 4 });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ x: 4, y: 40, secret: 'child only' });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('call', 'callActivity'),
      entry('end', 'endEvent'),
    ]);
    const child = await childOutcome(outcome.runId);
    expect(child.status).toBe('completed');
    expect(child.trace).toEqual([
      entry('child_start', 'startEvent'),
      entry('times_ten', 'scriptTask'),
      entry('note', 'scriptTask'),
      entry('child_end', 'endEvent'),
    ]);
  });

  it('calls a registered routine by id when the file has no process of that id', async () => {
    const callee = await conformance.register('callee-routine', bpmnProcess(childProcess, 'callee_process'));
    const xml = bpmnProcess(caller(callActivity('call', callee)), 'main_process');
    const outcome = await conformance.run('call-by-routine-id', xml, { x: 2 });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { x: 2, y: 20, secret: 'child only' } });
  });

  // Product deviation 5 in docs/bpmn-coverage.md: output mappings do not see the child variables.
  it('propagateAllChildVariables="false": only the output mappings bring child variables back', async () => {
    const xml = bpmnDefinitions({
      main_process: caller(
        callActivity('call', 'child_process', {
          propagateAllChildVariables: false,
          extensions: [ioMapping({ outputs: [['y', 'result']] })],
        }),
      ),
      child_process: childProcess,
    });
    const outcome = await conformance.run('call-output-mappings', xml, { x: 4 });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ x: 4, result: 40 });
  });

  it('propagateAllParentVariables="false": the child gets only the input-mapped variables', async () => {
    const child = `
      <bpmn:startEvent id="child_start" />
      ${scriptTask('look', 'if hidden = null then "hidden" else "visible"', 'parentVariable')}
      ${scriptTask('times_ten', 'x * 10', 'y')}
      <bpmn:endEvent id="child_end" />
      ${flows(['child_start', 'look'], ['look', 'times_ten'], ['times_ten', 'child_end'])}`;
    const xml = bpmnDefinitions({
      main_process: caller(
        callActivity('call', 'child_process', {
          propagateAllParentVariables: false,
          extensions: [ioMapping({ inputs: [['amount', 'x']] })],
        }),
      ),
      child_process: child,
    });
    const outcome = await conformance.run('call-input-mappings', xml, { amount: 3, hidden: 'h' });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toMatchObject({ amount: 3, hidden: 'h', parentVariable: 'hidden', y: 30 });
  });

  it('a BPMN error the child does not catch is caught by an error boundary event on the call activity', async () => {
    const xml = bpmnDefinitions(
      {
        main_process: caller(
          callActivity('call', 'failing_child'),
          `${boundaryEvent('on_child_error', 'call', errorDefinition('child_failed'))}
           ${scriptTask('recover', '"recovered"', 'status')}
           <bpmn:endEvent id="end_recovered" />`,
          [
            ['on_child_error', 'recover'],
            ['recover', 'end_recovered'],
          ],
        ),
        failing_child: `
          <bpmn:startEvent id="child_start" />
          ${scriptTask('work', '"half done"', 'progress')}
          <bpmn:endEvent id="child_fail">${errorDefinition('child_failed')}</bpmn:endEvent>
          ${flows(['child_start', 'work'], ['work', 'child_fail'])}`,
      },
      errorElement('child_failed', 'CHILD_FAILED'),
    );
    const outcome = await conformance.run('call-child-error', xml);
    expect(outcome.status).toBe('completed');
    // An interrupted call activity does not propagate the child's variables (Zeebe).
    expect(outcome.outputs).toEqual({ status: 'recovered' });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('call', 'callActivity', 'terminated'),
      entry('on_child_error', 'boundaryEvent'),
      entry('recover', 'scriptTask'),
      entry('end_recovered', 'endEvent'),
    ]);
  });

  // Product deviation 6 in docs/bpmn-coverage.md: the run fails instead.
  it('a called element that resolves to nothing is an incident; resolving it with variables goes on', async () => {
    const xml = bpmnDefinitions({
      main_process: caller(callActivity('call', '=calleeId')),
      child_process: childProcess,
    });
    const runId = await conformance.start('call-unknown', xml, { calleeId: 'no-such-process', x: 1 });
    const parked = await conformance.waitForIncident(runId);
    expect(parked.incident?.elementId).toBe('call');
    await conformance.stack.client.resolveIncident(runId, { variables: { calleeId: 'child_process' } });
    const outcome = await conformance.result(runId);
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { calleeId: 'child_process', x: 1, y: 10 },
    });
  });

  // Product deviation 7 in docs/bpmn-coverage.md: the caller fails instead.
  it('a BPMN error that neither the child nor the parent catches is an incident, not a failed run', async () => {
    const xml = bpmnDefinitions(
      {
        main_process: caller(callActivity('call', 'failing_child')),
        failing_child: `
          <bpmn:startEvent id="child_start" />
          <bpmn:endEvent id="child_fail">${errorDefinition('child_failed')}</bpmn:endEvent>
          ${flows(['child_start', 'child_fail'])}`,
      },
      errorElement('child_failed', 'CHILD_FAILED'),
    );
    const runId = await conformance.start('call-child-error-uncaught', xml);
    // Zeebe raises the incident on the child's error end event; parking the caller is acceptable too.
    const { workflow } = conformance.stack.client.temporal;
    try {
      const status = await pollUntil(
        'an incident on the child or the caller',
        async () => {
          const parent = await conformance.stack.client.getRunState(runId);
          if (parent.status !== 'running') return parent.status;
          for await (const child of workflow.list({ query: `WorkflowId STARTS_WITH "run/${runId}."` })) {
            const state = await conformance.stack.client.getRunState(child.workflowId.slice('run/'.length));
            if (state.status === 'incident') return 'incident';
          }
          return parent.status;
        },
        (seen) => seen !== 'running',
      );
      expect(status).toBe('incident');
    } finally {
      await conformance.stack.client.cancelRun(runId).catch(() => undefined);
    }
  });
});
