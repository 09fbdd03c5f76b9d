import { describe, expect, it } from 'vitest';
import { fixtureGraph, flows, model, rejectedLines } from './helpers.ts';

const none = { inputs: [], outputs: [] };
const at = (incoming: string[], outgoing: string[]) => ({ scope: 'shipping', incoming, outgoing });

/** A process s -> x -> e around the event "x" (whose tag and content are given). */
const around = (event: string) =>
  model(`<bpmn:startEvent id="s" />${event}<bpmn:endEvent id="e" />${flows('s->x', 'x->e')}`);
const catchEvent = (definition: string) =>
  around(`<bpmn:intermediateCatchEvent id="x">${definition}</bpmn:intermediateCatchEvent>`);
const timer = (field: string, value: string) =>
  `<bpmn:timerEventDefinition><bpmn:${field}>${value}</bpmn:${field}></bpmn:timerEventDefinition>`;

describe('BPMN events', () => {
  it('starts a process at its none start event, and compiles timer and message start events', async () => {
    const graph = await fixtureGraph('events.bpmn', 'shipping');
    expect(graph.startId).toBe('manual');
    expect(graph.elements.nightly).toEqual({
      id: 'nightly',
      name: 'Every night',
      ...at([], ['f_nightly']),
      ...none,
      kind: 'startEvent',
      trigger: { kind: 'timer', type: 'cycle', expression: '"R/P1D"' },
      interrupting: true,
    });
    expect(graph.elements.requested).toEqual({
      id: 'requested',
      name: 'Shipment requested',
      ...at([], ['f_requested']),
      inputs: [],
      outputs: [{ target: 'shipment', source: 'order' }],
      kind: 'startEvent',
      trigger: { kind: 'message', name: '"shipment-requested"' },
      interrupting: true,
    });
    expect(graph.elements.manual).toEqual({
      id: 'manual',
      name: 'Started by hand',
      ...at([], ['f_manual']),
      ...none,
      kind: 'startEvent',
      interrupting: true,
    });
  });

  it('compiles timer, message, signal and link catch events', async () => {
    const { elements } = await fixtureGraph('events.bpmn', 'shipping');
    expect(elements.cool_down).toEqual({
      id: 'cool_down',
      name: 'Cool down',
      ...at(['f_nightly', 'f_requested', 'f_manual'], ['f1']),
      ...none,
      kind: 'intermediateCatchEvent',
      trigger: { kind: 'timer', type: 'duration', expression: '"PT5M"' },
    });
    expect(elements.pickup_slot).toEqual({
      id: 'pickup_slot',
      ...at(['f1'], ['f2']),
      ...none,
      kind: 'intermediateCatchEvent',
      trigger: { kind: 'timer', type: 'date', expression: 'shipment.pickupAt' },
    });
    expect(elements.next_tick).toMatchObject({
      trigger: { kind: 'timer', type: 'cycle', expression: '"R3/PT10S"' },
    });
    expect(elements.label_printed).toEqual({
      id: 'label_printed',
      ...at(['f3'], ['f4']),
      inputs: [],
      outputs: [{ target: 'labelUrl', source: 'label.url' }],
      kind: 'intermediateCatchEvent',
      trigger: { kind: 'message', name: '"label-" + shipment.carrier', correlationKey: 'shipment.id' },
    });
    expect(elements.truck_arrived).toEqual({
      id: 'truck_arrived',
      ...at(['f4'], ['f5']),
      ...none,
      kind: 'intermediateCatchEvent',
      trigger: { kind: 'signal', name: '"truck-arrived"' },
    });
    expect(elements.close).toEqual({
      id: 'close',
      ...at([], ['f11']),
      ...none,
      kind: 'intermediateCatchEvent',
      trigger: { kind: 'link', name: 'close' },
    });
  });

  it('compiles signal, message, escalation, link and none throw events; a message job has no result', async () => {
    const { elements } = await fixtureGraph('events.bpmn', 'shipping');
    expect(elements.announce).toEqual({
      id: 'announce',
      name: 'Announce',
      ...at(['f5'], ['f6']),
      ...none,
      kind: 'intermediateThrowEvent',
      result: { kind: 'signal', name: '"dispatch-" + region' },
    });
    expect(elements.notify_customer).toEqual({
      id: 'notify_customer',
      ...at(['f6'], ['f7']),
      inputs: [
        { target: 'correlationKey', source: 'shipment.customerId' },
        { target: 'label', source: 'labelUrl' },
      ],
      outputs: [],
      kind: 'intermediateThrowEvent',
      result: { kind: 'message', name: '"shipped"' },
    });
    expect(elements.notify_carrier).toEqual({
      id: 'notify_carrier',
      ...at(['f7'], ['f8']),
      ...none,
      kind: 'intermediateThrowEvent',
      work: { kind: 'service', taskType: 'carrier.notify', headers: {} },
    });
    expect(elements.passing).toEqual({
      id: 'passing',
      name: 'Passing through',
      ...at(['f8'], ['f9']),
      ...none,
      kind: 'intermediateThrowEvent',
    });
    expect(elements.late).toMatchObject({ result: { kind: 'escalation', code: 'LATE' } });
    expect(elements.go_to_close).toEqual({
      id: 'go_to_close',
      ...at(['f10'], []),
      ...none,
      kind: 'intermediateThrowEvent',
      result: { kind: 'link', name: 'close' },
    });
  });

  it('compiles none, error, escalation, terminate, message and signal end events', async () => {
    const { elements } = await fixtureGraph('events.bpmn', 'shipping');
    const end = (id: string, rest: object) => ({
      id,
      ...at([`to_${id}`], []),
      ...none,
      kind: 'endEvent',
      ...rest,
    });
    expect(elements.done).toEqual(end('done', {}));
    expect(elements.failed).toEqual(end('failed', { result: { kind: 'error', code: 'SHIPMENT_LOST' } }));
    expect(elements.escalated).toEqual(end('escalated', { result: { kind: 'escalation', code: 'LATE' } }));
    expect(elements.aborted).toEqual(end('aborted', { result: { kind: 'terminate' } }));
    expect(elements.receipt).toEqual({
      ...end('receipt', { result: { kind: 'message', name: '"shipped"' } }),
      inputs: [{ target: 'correlationKey', source: 'shipment.customerId' }],
    });
    expect(elements.invoice).toEqual(
      end('invoice', { work: { kind: 'service', taskType: 'invoice.send', headers: {}, retries: 1 } }),
    );
    expect(elements.broadcast).toEqual(
      end('broadcast', { result: { kind: 'signal', name: '"dispatch-" + region' } }),
    );
  });

  describe('rejects', () => {
    it('timers that are not exactly one valid timeDuration, timeDate or timeCycle', async () => {
      const problems = await Promise.all([
        rejectedLines(catchEvent(timer('timeDuration', '5 minutes'))),
        rejectedLines(catchEvent(timer('timeDate', '2025-01-01T10:00:00'))),
        rejectedLines(catchEvent(timer('timeCycle', '0 0 9 * * MON'))),
        rejectedLines(catchEvent(timer('timeDuration', '=a +'))),
        rejectedLines(catchEvent(timer('timeDuration', ' '))),
        rejectedLines(catchEvent('<bpmn:timerEventDefinition />')),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:IntermediateCatchEvent "x": timeDuration: "5 minutes" is not an ISO 8601 duration such as PT5M, P1DT2H or P2W',
        'bpmn:IntermediateCatchEvent "x": timeDate: "2025-01-01T10:00:00" is not an ISO 8601 date-time with an offset, such as 2025-01-01T09:00:00Z or 2025-01-01T09:00:00+01:00',
        'bpmn:IntermediateCatchEvent "x": timeCycle: "0 0 9 * * MON" is not an ISO 8601 repeating interval such as R3/PT10S or R/P1D (cron expressions are not supported)',
        'bpmn:IntermediateCatchEvent "x": timeDuration: "a +" is not valid FEEL: it ends too early',
        'bpmn:IntermediateCatchEvent "x": its timeDuration is empty',
        'bpmn:IntermediateCatchEvent "x": its timer needs exactly one of timeDuration, timeDate or timeCycle',
      ]);
    });

    it('a duration timer on a process start event, as Zeebe does', async () => {
      const xml = model(
        `<bpmn:startEvent id="s">${timer('timeDuration', 'PT1H')}</bpmn:startEvent><bpmn:endEvent id="e" />${flows('s->e')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:StartEvent "s": a timeDuration timer is not allowed here; use timeDate or timeCycle',
      ]);
    });

    it('start events other than none, timer and message in a process, and several none start events', async () => {
      const xml = model(
        `<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="Signal_go" /></bpmn:startEvent>
        <bpmn:startEvent id="s2" /><bpmn:startEvent id="s3" /><bpmn:endEvent id="e" />${flows('s->e', 's2->e', 's3->e')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:StartEvent "s": signal start events are not supported',
        'bpmn:Process "p": can have only one none start event, found 2: "s2", "s3"',
      ]);
    });

    it('messages without a name, a reference or, where a run waits for them, a correlation key', async () => {
      const problems = await Promise.all([
        rejectedLines(catchEvent('<bpmn:messageEventDefinition messageRef="Message_pong" />')),
        rejectedLines(catchEvent('<bpmn:messageEventDefinition />')),
        rejectedLines(
          catchEvent('<bpmn:messageEventDefinition messageRef="Message_nameless" />').replace(
            '</bpmn:definitions>',
            '<bpmn:message id="Message_nameless" /></bpmn:definitions>',
          ),
        ),
        rejectedLines(
          around(
            '<bpmn:intermediateThrowEvent id="x"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>',
          ),
        ),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:IntermediateCatchEvent "x": message "Message_pong" needs a zeebe:subscription with a correlationKey',
        'bpmn:IntermediateCatchEvent "x": needs a messageRef to a message',
        'bpmn:IntermediateCatchEvent "x": message "Message_nameless" has no name',
        'bpmn:IntermediateCatchEvent "x": message "Message_nameless" needs a zeebe:subscription with a correlationKey',
        'bpmn:IntermediateThrowEvent "x": needs a messageRef to a message',
      ]);
    });

    it('thrown errors and escalations without a static code, and signals without a name', async () => {
      const end = (definition: string) =>
        model(
          `<bpmn:startEvent id="s" /><bpmn:endEvent id="e">${definition}</bpmn:endEvent>${flows('s->e')}`,
        );
      const problems = await Promise.all([
        rejectedLines(end('<bpmn:errorEventDefinition />')),
        rejectedLines(end('<bpmn:escalationEventDefinition />')),
        rejectedLines(
          end('<bpmn:errorEventDefinition errorRef="Error_dynamic" />').replace(
            '</bpmn:definitions>',
            '<bpmn:error id="Error_dynamic" errorCode="=code" /></bpmn:definitions>',
          ),
        ),
        rejectedLines(
          end('<bpmn:escalationEventDefinition escalationRef="Escalation_blank" />').replace(
            '</bpmn:definitions>',
            '<bpmn:escalation id="Escalation_blank" /></bpmn:definitions>',
          ),
        ),
        rejectedLines(end('<bpmn:signalEventDefinition />')),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:EndEvent "e": its error event definition needs an errorRef with an errorCode',
        'bpmn:EndEvent "e": its escalation event definition needs an escalationRef with an escalationCode',
        'bpmn:EndEvent "e": errorCode "=code" is an expression, which is not supported yet',
        'bpmn:EndEvent "e": escalation "Escalation_blank" needs an escalationCode',
        'bpmn:EndEvent "e": its signal event definition needs a signalRef',
      ]);
    });

    it('catch events without a definition, events with several, and definitions out of place', async () => {
      const problems = await Promise.all([
        rejectedLines(catchEvent('')),
        rejectedLines(
          catchEvent(
            '<bpmn:signalEventDefinition signalRef="Signal_go" /><bpmn:messageEventDefinition messageRef="Message_ping" />',
          ),
        ),
        rejectedLines(catchEvent('<bpmn:errorEventDefinition errorRef="Error_e1" />')),
        rejectedLines(
          around(
            '<bpmn:intermediateThrowEvent id="x"><bpmn:terminateEventDefinition /></bpmn:intermediateThrowEvent>',
          ),
        ),
        rejectedLines(
          around(
            '<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>',
          ),
        ),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:IntermediateCatchEvent "x": an intermediate catch event needs an event definition',
        'bpmn:IntermediateCatchEvent "x": events with several definitions (signal + message) are not supported',
        'bpmn:IntermediateCatchEvent "x": error intermediate catch events are not supported',
        'bpmn:IntermediateThrowEvent "x": terminate intermediate throw events are not supported',
        'bpmn:IntermediateThrowEvent "x": compensation intermediate throw events are not supported',
      ]);
    });

    it('jobs on events other than message events, and input mappings on catch events', async () => {
      const job = '<bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements>';
      const headers =
        '<bpmn:extensionElements><zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders></bpmn:extensionElements>';
      const problems = await Promise.all([
        rejectedLines(
          model(
            `<bpmn:startEvent id="s" /><bpmn:endEvent id="e">${job}<bpmn:signalEventDefinition signalRef="Signal_go" /></bpmn:endEvent>${flows('s->e')}`,
          ),
        ),
        rejectedLines(around(`<bpmn:intermediateThrowEvent id="x">${headers}</bpmn:intermediateThrowEvent>`)),
        rejectedLines(
          catchEvent(
            `<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="one" /></zeebe:ioMapping></bpmn:extensionElements>${timer('timeDuration', 'PT1S')}`,
          ),
        ),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:EndEvent "e": a zeebe:taskDefinition only applies to a message event',
        'bpmn:IntermediateThrowEvent "x": zeebe:taskHeaders need a zeebe:taskDefinition',
        'bpmn:IntermediateCatchEvent "x": zeebe:input mappings are not allowed here, only zeebe:output',
      ]);
    });

    it('link throw events without their one catch event in the same scope, and flows into a link catch', async () => {
      const link = (id: string, kind: 'Throw' | 'Catch', name: string) =>
        `<bpmn:intermediate${kind}Event id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediate${kind}Event>`;
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />${link('to_a', 'Throw', 'a')}${link('to_b', 'Throw', 'b')}
        ${link('a1', 'Catch', 'a')}${link('a2', 'Catch', 'a')}<bpmn:endEvent id="e" />
        <bpmn:subProcess id="sub"><bpmn:startEvent id="sub_s" />${link('sub_b', 'Catch', 'b')}${link('sub_to_b', 'Throw', 'b')}
          ${flows('sub_s->sub_to_b', 'sub_b->sub_e')}<bpmn:endEvent id="sub_e" /></bpmn:subProcess>
        ${flows('s->fork', 'fork->to_a', 'fork->to_b', 'fork->sub', 'sub->e', 'a1->e', 'a2->e', 's->a1')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:IntermediateCatchEvent "a1": a link catch event cannot have incoming sequence flows',
        'bpmn:IntermediateCatchEvent "a2": another link catch event in the same scope is named "a"',
        'bpmn:IntermediateThrowEvent "to_b": no link catch event in the same scope is named "b"',
      ]);
    });
  });
});
