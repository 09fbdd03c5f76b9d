import { describe, expect, it } from 'vitest';
import type { UserTaskRecord } from '../../../schema/user-task.ts';
import {
  bpmnProcess,
  element,
  flows,
  ioMapping,
  multiInstance,
  serviceTask,
  zeebeScript,
} from '../../support/bpmn.ts';
import { entriesOf, entry, pollUntil, useConformance } from './conformance.ts';

const conformance = useConformance();

/** start -> `activity` (id `each`) -> end. */
function around(activity: string): string {
  return bpmnProcess(`
    <bpmn:startEvent id="start" />
    ${activity}
    <bpmn:endEvent id="end" />
    ${flows(['start', 'each'], ['each', 'end'])}`);
}

/** Waits until `count` instances of user task `elementId` are open, and returns them. */
async function openTasks(runId: string, elementId: string, count: number): Promise<UserTaskRecord[]> {
  return pollUntil(
    `${count} open instances of ${elementId}`,
    async () =>
      (await conformance.stack.client.listTasks({ runId, status: 'open' })).filter(
        (task) => task.elementId === elementId,
      ),
    (tasks) => tasks.length === count,
  );
}

async function completeFor(runId: string, tasks: UserTaskRecord[], assignee: string, output: object) {
  const task = tasks.find((candidate) => candidate.assignee === assignee);
  if (!task) throw new Error(`no open task for ${assignee}`);
  await conformance.stack.client.completeTask(runId, {
    elementId: task.elementId,
    taskKey: task.taskKey,
    output: { ...output },
  });
}

const reviewTask = (loop: string) =>
  element('userTask', 'each', {
    extensions: ['<zeebe:userTask />', '<zeebe:assignmentDefinition assignee="=reviewer" />'],
    body: loop,
  });

describe.concurrent('Multi-instance', () => {
  it('parallel on a user task: every instance is open at once; the output keeps input order', async () => {
    const xml = around(
      reviewTask(
        multiInstance({
          inputCollection: 'reviewers',
          inputElement: 'reviewer',
          outputCollection: 'verdicts',
          outputElement: 'verdict',
        }),
      ),
    );
    const reviewers = ['ann', 'bob', 'cy'];
    const runId = await conformance.start('mi-parallel-user-task', xml, { reviewers });
    const tasks = await openTasks(runId, 'each', 3);
    expect(tasks.map((task) => task.variables.loopCounter).sort()).toEqual([1, 2, 3]);
    for (const reviewer of ['cy', 'ann', 'bob']) {
      await completeFor(runId, tasks, reviewer, { verdict: `${reviewer}: ok` });
    }
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    // inputElement and outputElement are locals of each instance: neither reaches the process scope.
    expect(outcome.outputs).toEqual({ reviewers, verdicts: ['ann: ok', 'bob: ok', 'cy: ok'] });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('each', 'userTask'),
      entry('each', 'userTask'),
      entry('each', 'userTask'),
      entry('each', 'multiInstanceBody'),
      entry('end', 'endEvent'),
    ]);
  });

  it('sequential on a script task: one instance after the other, each with its loopCounter', async () => {
    const xml = around(
      element('scriptTask', 'each', {
        extensions: [zeebeScript('trail + item', 'trail')],
        body: multiInstance({
          sequential: true,
          inputCollection: 'items',
          inputElement: 'item',
          outputCollection: 'labels',
          outputElement: 'string(loopCounter) + item',
        }),
      }),
    );
    const outcome = await conformance.run('mi-sequential-script', xml, { items: ['a', 'b', 'c'], trail: '' });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ items: ['a', 'b', 'c'], trail: 'abc', labels: ['1a', '2b', '3c'] });
    expect(entriesOf(outcome.trace, 'each')).toEqual([
      entry('each', 'scriptTask'),
      entry('each', 'scriptTask'),
      entry('each', 'scriptTask'),
      entry('each', 'multiInstanceBody'),
    ]);
  });

  it('parallel on a sub-process: instances finishing out of order still fill the output in input order', async () => {
    // Item 1 sleeps longest, item 2 not at all: they complete 2, 3, 1.
    const content = `
      <bpmn:startEvent id="inner_start" />
      ${serviceTask('nap', 'sleep', {}, ioMapping({ inputs: [['item.ms', 'ms']] }))}
      ${element('scriptTask', 'square', { extensions: [zeebeScript('item.n * item.n', 'r')] })}
      <bpmn:endEvent id="inner_end" />
      ${flows(['inner_start', 'nap'], ['nap', 'square'], ['square', 'inner_end'])}`;
    const xml = around(
      element('subProcess', 'each', {
        body: `${multiInstance({ inputCollection: 'items', inputElement: 'item', outputCollection: 'squares', outputElement: 'r' })}${content}`,
      }),
    );
    const items = [
      { n: 1, ms: 1200 },
      { n: 2, ms: 0 },
      { n: 3, ms: 600 },
    ];
    const outcome = await conformance.run('mi-parallel-sub-process', xml, { items });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ items, squares: [1, 4, 9] });
    expect(entriesOf(outcome.trace, 'each')).toEqual([
      entry('each', 'subProcess'),
      entry('each', 'subProcess'),
      entry('each', 'subProcess'),
      entry('each', 'multiInstanceBody'),
    ]);
    expect(entriesOf(outcome.trace, 'square')).toHaveLength(3);
  });

  it('sequential on a sub-process: each instance sees what the previous one wrote', async () => {
    const content = `
      <bpmn:startEvent id="inner_start" />
      ${element('scriptTask', 'append', { extensions: [zeebeScript('trail + letter', 'trail')] })}
      ${element('scriptTask', 'snapshot', { extensions: [zeebeScript('trail', 'seen')] })}
      <bpmn:endEvent id="inner_end" />
      ${flows(['inner_start', 'append'], ['append', 'snapshot'], ['snapshot', 'inner_end'])}`;
    const xml = around(
      element('subProcess', 'each', {
        body: `${multiInstance({ sequential: true, inputCollection: 'letters', inputElement: 'letter', outputCollection: 'snapshots', outputElement: 'seen' })}${content}`,
      }),
    );
    const outcome = await conformance.run('mi-sequential-sub-process', xml, {
      letters: ['a', 'b', 'c'],
      trail: '',
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({
      letters: ['a', 'b', 'c'],
      trail: 'abc',
      snapshots: ['a', 'ab', 'abc'],
    });
  });

  it('completionCondition (sequential): stops after the condition holds; the rest of the output stays null', async () => {
    const xml = around(
      element('scriptTask', 'each', {
        extensions: [zeebeScript('item * 10', 'r')],
        body: multiInstance({
          sequential: true,
          inputCollection: 'items',
          inputElement: 'item',
          outputCollection: 'results',
          outputElement: 'r',
          completionCondition: 'numberOfCompletedInstances >= 2',
        }),
      }),
    );
    const outcome = await conformance.run('mi-completion-sequential', xml, { items: [1, 2, 3, 4, 5] });
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ items: [1, 2, 3, 4, 5], results: [10, 20, null, null, null] });
    expect(entriesOf(outcome.trace, 'each')).toEqual([
      entry('each', 'scriptTask'),
      entry('each', 'scriptTask'),
      entry('each', 'multiInstanceBody'),
    ]);
  });

  it('completionCondition (parallel): the instances still open are terminated once it holds', async () => {
    const xml = around(
      reviewTask(
        multiInstance({
          inputCollection: 'reviewers',
          inputElement: 'reviewer',
          outputCollection: 'verdicts',
          outputElement: 'verdict',
          completionCondition: 'numberOfCompletedInstances >= 2',
        }),
      ),
    );
    const reviewers = ['ann', 'bob', 'cy'];
    const runId = await conformance.start('mi-completion-parallel', xml, { reviewers });
    const tasks = await openTasks(runId, 'each', 3);
    await completeFor(runId, tasks, 'cy', { verdict: 'yes' });
    await completeFor(runId, tasks, 'ann', { verdict: 'no' });
    const outcome = await conformance.result(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ reviewers, verdicts: ['no', null, 'yes'] });
    expect(entriesOf(outcome.trace, 'each')).toEqual([
      entry('each', 'userTask'),
      entry('each', 'userTask'),
      entry('each', 'userTask', 'terminated'),
      entry('each', 'multiInstanceBody'),
    ]);
    const bob = (await conformance.stack.client.listTasks({ runId })).find((task) => task.assignee === 'bob');
    expect(bob?.status).toBe('cancelled');
  });

  it('an empty input collection completes at once with an empty output collection', async () => {
    const xml = around(
      element('scriptTask', 'each', {
        extensions: [zeebeScript('item', 'r')],
        body: multiInstance({
          inputCollection: 'items',
          inputElement: 'item',
          outputCollection: 'results',
          outputElement: 'r',
        }),
      }),
    );
    const outcome = await conformance.run('mi-empty', xml, { items: [] });
    expect(outcome).toMatchObject({ status: 'completed', outputs: { items: [], results: [] } });
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('each', 'multiInstanceBody'),
      entry('end', 'endEvent'),
    ]);
  });
});
