import { describe, expect, it } from 'vitest';
import { mailboxStateQuery, mailboxWorkflowId } from '../../../workflows/mailbox/definitions.ts';
import {
  bpmnDefinitions,
  bpmnProcess,
  childWorkflowFork,
  flows,
  messageDefinition,
  messageElement,
  scriptTask,
  timerDefinition,
} from '../../support/bpmn.ts';
import { endIndex, entriesOf, entry, pollUntil, uniqueKey, useConformance } from './conformance.ts';

const conformance = useConformance();

describe.concurrent('Gateways (Zeebe semantics)', () => {
  it('exclusive gateway: takes the first flow whose condition is true, else its default flow', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="route" default="route_to_small" />
      ${scriptTask('large', '"large"', 'size')}
      ${scriptTask('medium', '"medium"', 'size')}
      ${scriptTask('small', '"small"', 'size')}
      <bpmn:exclusiveGateway id="merge" />
      <bpmn:endEvent id="end" />
      ${flows(
        ['start', 'route'],
        ['route', 'large', 'amount > 100'],
        ['route', 'medium', 'amount > 10'],
        ['route', 'small'],
        ['large', 'merge'],
        ['medium', 'merge'],
        ['small', 'merge'],
        ['merge', 'end'],
      )}`);
    const [large, medium, small] = await Promise.all(
      [500, 50, 5].map((amount) => conformance.run('exclusive-default', xml, { amount })),
    );
    // 500 makes both conditions true: the first in model order wins.
    expect(large?.outputs).toEqual({ amount: 500, size: 'large' });
    expect(medium?.outputs).toEqual({ amount: 50, size: 'medium' });
    expect(small?.outputs).toEqual({ amount: 5, size: 'small' });
    expect(small?.trace).toEqual([
      entry('start', 'startEvent'),
      entry('route', 'exclusiveGateway'),
      entry('small', 'scriptTask'),
      entry('merge', 'exclusiveGateway'),
      entry('end', 'endEvent'),
    ]);
  });

  /** fork -> [script `fast`, timer `pause` then script `slow`] -> join -> script `after`. */
  const parallelJoin = (forkGateway: string) =>
    bpmnProcess(`
      <bpmn:startEvent id="start" />
      ${forkGateway}
      ${scriptTask('fast', '"fast"', 'fastBranch')}
      <bpmn:intermediateCatchEvent id="pause">${timerDefinition('duration', 'PT1S')}</bpmn:intermediateCatchEvent>
      ${scriptTask('slow', '"slow"', 'slowBranch')}
      <bpmn:parallelGateway id="join" />
      ${scriptTask('after', 'fastBranch + "+" + slowBranch', 'joined')}
      <bpmn:endEvent id="end" />
      ${flows(
        ['start', 'fork'],
        ['fork', 'fast'],
        ['fork', 'pause'],
        ['pause', 'slow'],
        ['fast', 'join'],
        ['slow', 'join'],
        ['join', 'after'],
        ['after', 'end'],
      )}`);

  /** Runs the parallel join model and checks its outcome; returns how many child workflows the run started. */
  const runParallelJoin = async (routineId: string, forkGateway: string) => {
    const startedAt = Date.now();
    const outcome = await conformance.run(routineId, parallelJoin(forkGateway));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ fastBranch: 'fast', slowBranch: 'slow', joined: 'fast+slow' });
    expect(entriesOf(outcome.trace, 'join')).toEqual([entry('join', 'parallelGateway')]);
    expect(endIndex(outcome.trace, 'join')).toBeGreaterThan(endIndex(outcome.trace, 'slow'));
    expect(endIndex(outcome.trace, 'join')).toBeGreaterThan(endIndex(outcome.trace, 'fast'));
    expect(outcome.trace.slice(-2)).toEqual([entry('after', 'scriptTask'), entry('end', 'endEvent')]);
    const history = await conformance.stack.client.temporal.workflow
      .getHandle(`run/${outcome.runId}`)
      .fetchHistory();
    return (history.events ?? []).filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)
      .length;
  };

  it('parallel gateway: forks every branch in the run and joins once the slower branch arrives', async () => {
    expect(await runParallelJoin('parallel-join', '<bpmn:parallelGateway id="fork" />')).toBe(0);
  });

  it('parallel gateway: with swarmflow.forkBranches = childWorkflows each branch is a child workflow', async () => {
    expect(await runParallelJoin('parallel-join-children', childWorkflowFork('fork'))).toBe(2);
  });

  it('parallel gateway: an unstructured fork joins by counting tokens while another branch ends alone', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      ${scriptTask('b1', '1', 'one')}
      ${scriptTask('b2', '2', 'two')}
      ${scriptTask('b3', '3', 'three')}
      <bpmn:parallelGateway id="join" />
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="end3" />
      ${flows(
        ['start', 'fork'],
        ['fork', 'b1'],
        ['fork', 'b2'],
        ['fork', 'b3'],
        ['b1', 'join'],
        ['b2', 'join'],
        ['b3', 'end3'],
        ['join', 'end'],
      )}`);
    const outcome = await conformance.run('parallel-unstructured', xml);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { one: 1, two: 2, three: 3 } });
    expect(entriesOf(outcome.trace, 'join')).toHaveLength(1);
    expect(entriesOf(outcome.trace, 'end')).toHaveLength(1);
    expect(entriesOf(outcome.trace, 'end3')).toHaveLength(1);
  });

  it('inclusive gateway: forks every true flow and the join waits only for the taken branches', async () => {
    // x = 50 takes `fast` and `slow` (one second late), never `never`: the join must not wait for it.
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:inclusiveGateway id="fork" />
      ${scriptTask('fast', '"fast"', 'fastBranch')}
      <bpmn:intermediateCatchEvent id="pause">${timerDefinition('duration', 'PT1S')}</bpmn:intermediateCatchEvent>
      ${scriptTask('slow', '"slow"', 'slowBranch')}
      ${scriptTask('never', '"never"', 'neverBranch')}
      <bpmn:inclusiveGateway id="join" />
      <bpmn:endEvent id="end" />
      ${flows(
        ['start', 'fork'],
        ['fork', 'fast', 'x > 0'],
        ['fork', 'pause', 'x > 10'],
        ['fork', 'never', 'x > 100'],
        ['pause', 'slow'],
        ['fast', 'join'],
        ['slow', 'join'],
        ['never', 'join'],
        ['join', 'end'],
      )}`);
    const startedAt = Date.now();
    const outcome = await conformance.run('inclusive-join', xml, { x: 50 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toEqual({ x: 50, fastBranch: 'fast', slowBranch: 'slow' });
    expect(entriesOf(outcome.trace, 'never')).toEqual([]);
    expect(entriesOf(outcome.trace, 'join')).toEqual([entry('join', 'inclusiveGateway')]);
    expect(entriesOf(outcome.trace, 'end')).toHaveLength(1);
    expect(endIndex(outcome.trace, 'join')).toBeGreaterThan(endIndex(outcome.trace, 'slow'));
    expect(endIndex(outcome.trace, 'join')).toBeGreaterThan(endIndex(outcome.trace, 'fast'));
  });

  it('inclusive gateway: with one true flow the join goes on as soon as that branch arrives', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:inclusiveGateway id="fork" />
      ${scriptTask('fast', '"fast"', 'fastBranch')}
      <bpmn:intermediateCatchEvent id="pause">${timerDefinition('duration', 'PT30S')}</bpmn:intermediateCatchEvent>
      <bpmn:inclusiveGateway id="join" />
      <bpmn:endEvent id="end" />
      ${flows(
        ['start', 'fork'],
        ['fork', 'fast', 'x > 0'],
        ['fork', 'pause', 'x > 10'],
        ['fast', 'join'],
        ['pause', 'join'],
        ['join', 'end'],
      )}`);
    // A join that waited for the untaken branch would never go on.
    const outcome = await conformance.run('inclusive-single', xml, { x: 5 });
    expect(outcome.status).toBe('completed');
    expect(outcome.trace).toEqual([
      entry('start', 'startEvent'),
      entry('fork', 'inclusiveGateway'),
      entry('fast', 'scriptTask'),
      entry('join', 'inclusiveGateway'),
      entry('end', 'endEvent'),
    ]);
  });

  it('inclusive gateway: takes its default flow when no condition is true', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:inclusiveGateway id="fork" default="fork_to_fallback" />
      ${scriptTask('a', '"a"', 'a')}
      ${scriptTask('b', '"b"', 'b')}
      ${scriptTask('fallback', '"fallback"', 'fallback')}
      <bpmn:inclusiveGateway id="join" />
      <bpmn:endEvent id="end" />
      ${flows(
        ['start', 'fork'],
        ['fork', 'a', 'x > 0'],
        ['fork', 'b', 'x > 10'],
        ['fork', 'fallback'],
        ['a', 'join'],
        ['b', 'join'],
        ['fallback', 'join'],
        ['join', 'end'],
      )}`);
    const [none, both] = await Promise.all([
      conformance.run('inclusive-default', xml, { x: -1 }),
      conformance.run('inclusive-default', xml, { x: 20 }),
    ]);
    expect(none).toMatchObject({ status: 'completed', outputs: { x: -1, fallback: 'fallback' } });
    expect(none?.outputs).not.toHaveProperty('a');
    // The default flow is taken only when no condition is true.
    expect(both?.outputs).toEqual({ x: 20, a: 'a', b: 'b' });
    expect(entriesOf(both?.trace ?? [], 'join')).toHaveLength(1);
  });

  describe('event-based gateway', () => {
    const model = () =>
      bpmnDefinitions(
        {
          event_race: `
            <bpmn:startEvent id="start" />
            <bpmn:eventBasedGateway id="race" />
            <bpmn:intermediateCatchEvent id="answer">${messageDefinition('answer_message')}</bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="timeout">${timerDefinition('duration', '=timeout')}</bpmn:intermediateCatchEvent>
            ${scriptTask('by_message', '"message"', 'winner')}
            ${scriptTask('by_timer', '"timer"', 'winner')}
            <bpmn:endEvent id="end_message" />
            <bpmn:endEvent id="end_timer" />
            ${flows(
              ['start', 'race'],
              ['race', 'answer'],
              ['race', 'timeout'],
              ['answer', 'by_message'],
              ['timeout', 'by_timer'],
              ['by_message', 'end_message'],
              ['by_timer', 'end_timer'],
            )}`,
        },
        messageElement('answer_message', 'conf-race-answer', 'key'),
      );

    it('the message arriving first wins and the timer is not completed', async () => {
      const key = uniqueKey('race');
      // A long timer, so that the message surely comes first.
      const runId = await conformance.start('event-gateway', model(), { key, timeout: 'PT1M' });
      await conformance.waitForSubscription(runId, 'conf-race-answer', key);
      await conformance.stack.client.publishMessage({
        name: 'conf-race-answer',
        correlationKey: key,
        variables: { answer: 42 },
        ttlMs: 0,
      });
      const outcome = await conformance.result(runId);
      expect(outcome.status).toBe('completed');
      expect(outcome.outputs).toEqual({ key, timeout: 'PT1M', answer: 42, winner: 'message' });
      expect(outcome.trace).toEqual([
        entry('start', 'startEvent'),
        entry('race', 'eventBasedGateway'),
        entry('answer', 'intermediateCatchEvent'),
        entry('by_message', 'scriptTask'),
        entry('end_message', 'endEvent'),
      ]);
    });

    it('the timer firing first wins and the message subscription is closed', async () => {
      const key = uniqueKey('race');
      const outcome = await conformance.run('event-gateway', model(), { key, timeout: 'PT1S' });
      expect(outcome.status).toBe('completed');
      expect(outcome.outputs).toEqual({ key, timeout: 'PT1S', winner: 'timer' });
      expect(outcome.trace).toEqual([
        entry('start', 'startEvent'),
        entry('race', 'eventBasedGateway'),
        entry('timeout', 'intermediateCatchEvent'),
        entry('by_timer', 'scriptTask'),
        entry('end_timer', 'endEvent'),
      ]);
      // The losing catch event stops waiting: its subscription leaves the mailbox.
      const mailbox = conformance.stack.client.temporal.workflow.getHandle(
        mailboxWorkflowId('conf-race-answer', key),
      );
      const subscriptions = async () =>
        (await mailbox.query(mailboxStateQuery).catch(() => undefined))?.subscriptions ?? [];
      await pollUntil('the losing subscription closed', subscriptions, (left) => left.length === 0, 10_000);
    });
  });
});
