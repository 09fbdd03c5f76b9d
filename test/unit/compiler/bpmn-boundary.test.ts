import { describe, expect, it } from 'vitest';
import { fixtureGraph, flows, model, rejectedLines } from './helpers.ts';

const boundary = (id: string, trigger: object, interrupting: boolean, outputs: object[] = []) => ({
  id,
  scope: 'payment',
  incoming: [],
  outgoing: [`f_${id}`],
  inputs: [],
  outputs,
  kind: 'boundaryEvent',
  attachedTo: 'charge',
  trigger,
  interrupting,
});

/** A task "t" from s to e, with boundary event "b" (given whole) leading to end event "be". */
const withBoundary = (event: string, task = '<bpmn:task id="t" />') =>
  model(
    `<bpmn:startEvent id="s" />${task}${event}<bpmn:endEvent id="e" /><bpmn:endEvent id="be" />${flows('s->t', 't->e', 'b->be')}`,
  );

describe('BPMN boundary events', () => {
  it('lists boundary events on their activity, in model order', async () => {
    const { elements } = await fixtureGraph('boundary-events.bpmn', 'payment');
    expect(elements.charge).toMatchObject({
      kind: 'workTask',
      boundaryEvents: ['timeout', 'remind', 'declined', 'any_error', 'slow', 'cancelled', 'audit'],
    });
  });

  it('compiles timer, error, escalation, message and signal triggers, interrupting or not', async () => {
    const { elements } = await fixtureGraph('boundary-events.bpmn', 'payment');
    expect(elements.timeout).toEqual(
      boundary('timeout', { kind: 'timer', type: 'duration', expression: '"PT30S"' }, true),
    );
    expect(elements.remind).toEqual(
      boundary('remind', { kind: 'timer', type: 'cycle', expression: '"R/PT10S"' }, false),
    );
    expect(elements.declined).toEqual(
      boundary('declined', { kind: 'error', code: 'DECLINED' }, true, [
        { target: 'declineReason', source: 'error.message' },
      ]),
    );
    // cancelActivity="false" does not apply to errors: an error boundary event always interrupts.
    expect(elements.any_error).toEqual(boundary('any_error', { kind: 'error' }, true));
    expect(elements.slow).toEqual(boundary('slow', { kind: 'escalation' }, false));
    expect(elements.cancelled).toEqual(
      boundary(
        'cancelled',
        { kind: 'message', name: '"payment-cancelled"', correlationKey: '"paymentId"' },
        true,
      ),
    );
    expect(elements.audit).toEqual(boundary('audit', { kind: 'signal', name: '"audit"' }, false));
  });

  describe('rejects', () => {
    it('a cycle on an interrupting timer, a missing definition and unsupported triggers', async () => {
      const problems = await Promise.all([
        rejectedLines(
          withBoundary(`<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>
            <bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`),
        ),
        rejectedLines(withBoundary('<bpmn:boundaryEvent id="b" attachedToRef="t" />')),
        rejectedLines(
          withBoundary(
            '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>',
          ),
        ),
        rejectedLines(
          withBoundary(
            '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>',
          ),
        ),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:BoundaryEvent "b": a timeCycle timer is not allowed here; use timeDuration or timeDate',
        'bpmn:BoundaryEvent "b": a boundary event needs an event definition',
        'bpmn:BoundaryEvent "b": compensation boundary events are not supported',
        'bpmn:BoundaryEvent "b": cancel boundary events are not supported',
      ]);
    });

    it('boundary events on what is not an activity of the same scope, or with incoming flows', async () => {
      const signal = '<bpmn:signalEventDefinition signalRef="Signal_go" />';
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="x" /><bpmn:endEvent id="e" />
        <bpmn:subProcess id="sub"><bpmn:startEvent id="sub_s" /><bpmn:task id="inner" /><bpmn:endEvent id="sub_e" />
          ${flows('sub_s->inner', 'inner->sub_e')}</bpmn:subProcess>
        <bpmn:boundaryEvent id="on_gateway" attachedToRef="x">${signal}</bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="on_inner" attachedToRef="inner">${signal}</bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="fed" attachedToRef="sub">${signal}</bpmn:boundaryEvent>
        ${flows('s->x', 'x->sub', 'sub->e', 'on_gateway->e', 'on_inner->e', 'fed->e', 's->fed')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:BoundaryEvent "on_gateway": is attached to bpmn:ExclusiveGateway "x", which is not an activity',
        'bpmn:BoundaryEvent "on_inner": attachedToRef "inner" is not an activity of the same scope',
        'bpmn:BoundaryEvent "fed": a boundary event cannot have incoming sequence flows',
      ]);
    });

    it('a boundary event without an attachedToRef, or whose reference points nowhere', async () => {
      const signal = '<bpmn:signalEventDefinition signalRef="Signal_go" />';
      expect(
        await rejectedLines(withBoundary(`<bpmn:boundaryEvent id="b">${signal}</bpmn:boundaryEvent>`)),
      ).toEqual(['bpmn:BoundaryEvent "b": needs an attachedToRef']);
      expect(
        await rejectedLines(
          withBoundary(`<bpmn:boundaryEvent id="b" attachedToRef="ghost">${signal}</bpmn:boundaryEvent>`),
        ),
      ).toEqual(['bpmn:BoundaryEvent "b": attachedToRef points to "ghost", which does not exist']);
    });
  });
});
