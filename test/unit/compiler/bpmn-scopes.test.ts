import { describe, expect, it } from 'vitest';
import { fixtureGraph, flows, model, rejectedLines } from './helpers.ts';

const none = { inputs: [], outputs: [] };

/** A process s -> t -> e around the activity "t". */
const around = (activity: string) =>
  model(`<bpmn:startEvent id="s" />${activity}<bpmn:endEvent id="e" />${flows('s->t', 't->e')}`);
const multiInstance = (loop: string, extra = '') =>
  around(`<bpmn:task id="t"><bpmn:multiInstanceLoopCharacteristics>${extra}<bpmn:extensionElements>
    ${loop}</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:task>`);

describe('BPMN scopes', () => {
  it('compiles a multi-instance sub-process, its content in its own scope after it', async () => {
    const graph = await fixtureGraph('scopes.bpmn', 'orders');
    expect(Object.keys(graph.elements).slice(0, 11)).toEqual([
      'start',
      'each_line',
      'line_start',
      'line_fork',
      'price',
      'reserve',
      'line_join',
      'line_end',
      'line_failed',
      'line_error',
      'line_failed_end',
    ]);
    expect(graph.elements.each_line).toEqual({
      id: 'each_line',
      name: 'Each order line',
      scope: 'orders',
      incoming: ['f1'],
      outgoing: ['f2'],
      inputs: [{ target: 'orderId', source: 'order.id' }],
      outputs: [{ target: 'lineResults', source: 'results' }],
      boundaryEvents: [],
      multiInstance: {
        sequential: false,
        inputCollection: 'order.lines',
        inputElement: 'line',
        outputCollection: 'results',
        outputElement: 'lineTotal',
        completionCondition: 'numberOfCompletedInstances >= 10',
      },
      kind: 'subProcess',
      startId: 'line_start',
      eventSubProcesses: ['line_failed'],
    });
    expect(graph.elements.line_fork).toMatchObject({ scope: 'each_line', incoming: ['l1'] });
    expect(graph.flows.l2).toEqual({ id: 'l2', source: 'line_fork', target: 'price' });
  });

  it('finds block-structured forks inside a sub-process', async () => {
    const graph = await fixtureGraph('scopes.bpmn', 'orders');
    expect(graph.forks).toEqual({ line_fork: { joinId: 'line_join', branches: ['l2', 'l3'] } });
  });

  it('compiles event sub-processes of a process and of a sub-process, with their start events', async () => {
    const graph = await fixtureGraph('scopes.bpmn', 'orders');
    expect(graph.eventSubProcesses).toEqual([
      'reminders',
      'cancellation',
      'recall',
      'escalations',
      'deadline',
    ]);
    expect(graph.elements.line_failed).toEqual({
      id: 'line_failed',
      scope: 'each_line',
      incoming: [],
      outgoing: [],
      ...none,
      kind: 'eventSubProcess',
      startId: 'line_error',
    });
    const start = (id: string, scope: string, outgoing: string, trigger: object, interrupting: boolean) => ({
      id,
      scope,
      incoming: [],
      outgoing: [outgoing],
      ...none,
      kind: 'startEvent',
      trigger,
      interrupting,
    });
    expect(graph.elements.line_error).toEqual(
      start('line_error', 'line_failed', 'lf1', { kind: 'error', code: 'OUT_OF_STOCK' }, true),
    );
    expect(graph.elements.every_day).toEqual(
      start('every_day', 'reminders', 'r1', { kind: 'timer', type: 'cycle', expression: '"R/P1D"' }, false),
    );
    expect(graph.elements.cancel_requested).toEqual(
      start(
        'cancel_requested',
        'cancellation',
        'c1',
        { kind: 'message', name: '"order-cancelled"', correlationKey: 'order.id' },
        true,
      ),
    );
    expect(graph.elements.recall_signal).toEqual(
      start('recall_signal', 'recall', 's1', { kind: 'signal', name: '"recall"' }, false),
    );
    expect(graph.elements.any_escalation).toEqual(
      start('any_escalation', 'escalations', 'e1', { kind: 'escalation' }, false),
    );
    expect(graph.elements.deadline_timer).toEqual(
      start(
        'deadline_timer',
        'deadline',
        'd1',
        { kind: 'timer', type: 'duration', expression: '"P7D"' },
        true,
      ),
    );
    expect(graph.elements.remind).toMatchObject({ scope: 'reminders', kind: 'workTask' });
  });

  it('compiles call activities with static or FEEL process ids and their propagation flags', async () => {
    const { elements } = await fixtureGraph('scopes.bpmn', 'orders');
    expect(elements.bill).toEqual({
      id: 'bill',
      name: 'Bill',
      scope: 'orders',
      incoming: ['f2'],
      outgoing: ['f3'],
      inputs: [{ target: 'lines', source: 'lineResults' }],
      outputs: [{ target: 'invoice', source: 'invoice' }],
      boundaryEvents: [],
      multiInstance: { sequential: true, inputCollection: 'accounts' },
      kind: 'callActivity',
      processId: '"billing"',
      propagateAllChildVariables: false,
      propagateAllParentVariables: true,
    });
    expect(elements.archive).toEqual({
      id: 'archive',
      name: 'Archive',
      scope: 'orders',
      incoming: ['f3'],
      outgoing: ['f4'],
      ...none,
      boundaryEvents: [],
      kind: 'callActivity',
      processId: 'archiveProcess',
      propagateAllChildVariables: true,
      propagateAllParentVariables: false,
    });
    expect(elements.pack).toMatchObject({
      kind: 'task',
      multiInstance: { sequential: false, inputCollection: 'parcels' },
    });
  });

  describe('rejects', () => {
    it('sub-processes without exactly one none start event', async () => {
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />
        <bpmn:subProcess id="empty" />
        <bpmn:subProcess id="timed"><bpmn:startEvent id="timed_s"><bpmn:timerEventDefinition>
          <bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
          <bpmn:endEvent id="timed_e" />${flows('timed_s->timed_e')}</bpmn:subProcess>
        <bpmn:subProcess id="two"><bpmn:startEvent id="two_a" /><bpmn:startEvent id="two_b" />
          <bpmn:endEvent id="two_e" />${flows('two_a->two_e', 'two_b->two_e')}</bpmn:subProcess>
        ${flows('s->empty', 'empty->timed', 'timed->two', 'two->e')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:SubProcess "empty": a sub-process needs exactly one start event, found 0',
        'bpmn:StartEvent "timed_s": timer start events in a sub-process are not supported',
        'bpmn:SubProcess "two": a sub-process needs exactly one start event, found 2: "two_a", "two_b"',
      ]);
    });

    it('event sub-processes without one triggered start event, with flows, loops or nested event sub-processes', async () => {
      const signal = '<bpmn:signalEventDefinition signalRef="Signal_go" />';
      const xml = model(
        `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${flows('s->e')}
        <bpmn:subProcess id="plain" triggeredByEvent="true"><bpmn:startEvent id="plain_s" /><bpmn:endEvent id="plain_e" />
          ${flows('plain_s->plain_e')}</bpmn:subProcess>
        <bpmn:subProcess id="looped" triggeredByEvent="true">
          <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=xs" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
          <bpmn:startEvent id="looped_s">${signal}</bpmn:startEvent><bpmn:endEvent id="looped_e" />${flows('looped_s->looped_e')}
          <bpmn:subProcess id="nested" triggeredByEvent="true"><bpmn:startEvent id="nested_s">${signal}</bpmn:startEvent>
            <bpmn:endEvent id="nested_e" />${flows('nested_s->nested_e')}</bpmn:subProcess>
        </bpmn:subProcess>
        <bpmn:subProcess id="connected" triggeredByEvent="true"><bpmn:startEvent id="connected_s">${signal}</bpmn:startEvent>
          <bpmn:endEvent id="connected_e" />${flows('connected_s->connected_e')}</bpmn:subProcess>
        <bpmn:subProcess id="two" triggeredByEvent="true"><bpmn:startEvent id="two_a">${signal}</bpmn:startEvent>
          <bpmn:startEvent id="two_b">${signal}</bpmn:startEvent><bpmn:endEvent id="two_e" />${flows('two_a->two_e', 'two_b->two_e')}</bpmn:subProcess>
        ${flows('connected->e')}`,
      );
      expect(await rejectedLines(xml)).toEqual([
        'bpmn:StartEvent "plain_s": the start event of an event sub-process needs a timer, message, signal, error or escalation',
        'bpmn:SubProcess "looped": an event sub-process cannot contain event sub-processes',
        'bpmn:SubProcess "looped": an event sub-process cannot be multi-instance',
        'bpmn:SubProcess "two": an event sub-process needs exactly one start event, found 2: "two_a", "two_b"',
        'bpmn:SubProcess "connected": an event sub-process cannot have outgoing sequence flows',
      ]);
    });

    it('call activities without a process id, or bound to a version tag', async () => {
      const problems = await Promise.all([
        rejectedLines(around('<bpmn:callActivity id="t" calledElement="child" />')),
        rejectedLines(
          around(`<bpmn:callActivity id="t"><bpmn:extensionElements>
            <zeebe:calledElement processId="child" bindingType="versionTag" versionTag="v1" />
          </bpmn:extensionElements></bpmn:callActivity>`),
        ),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:CallActivity "t": needs a zeebe:calledElement with a processId',
        'bpmn:CallActivity "t": zeebe:calledElement bindingType "versionTag" is not supported yet',
      ]);
    });

    it('multi-instance without a FEEL inputCollection, with BPMN data items, or half an output', async () => {
      const problems = await Promise.all([
        rejectedLines(multiInstance('')),
        rejectedLines(multiInstance('<zeebe:loopCharacteristics inputCollection="items" />')),
        rejectedLines(
          multiInstance(
            '<zeebe:loopCharacteristics inputCollection="=items" outputCollection="results" />',
            '<bpmn:loopCardinality>3</bpmn:loopCardinality>',
          ),
        ),
        rejectedLines(
          multiInstance(
            '<zeebe:loopCharacteristics inputCollection="=items" outputElement="=x" />',
            '<bpmn:inputDataItem id="item" />',
          ),
        ),
        rejectedLines(
          around(`<bpmn:task id="t"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=items" /></bpmn:extensionElements>
            <bpmn:completionCondition>done</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:task>`),
        ),
        rejectedLines(around('<bpmn:task id="t"><bpmn:standardLoopCharacteristics /></bpmn:task>')),
      ]);
      expect(problems.flat()).toEqual([
        'bpmn:Task "t": a multi-instance needs a zeebe:loopCharacteristics inputCollection',
        'bpmn:Task "t": inputCollection "items" must be a FEEL expression starting with "="',
        'bpmn:Task "t": a multi-instance loopCardinality is not supported; give an inputCollection',
        'bpmn:Task "t": a multi-instance needs both outputCollection and outputElement, or neither',
        'bpmn:Task "t": BPMN multi-instance data inputs and outputs are not supported; use zeebe:loopCharacteristics',
        'bpmn:Task "t": a multi-instance needs both outputCollection and outputElement, or neither',
        'bpmn:Task "t": completionCondition "done" must be a FEEL expression starting with "="',
        'bpmn:Task "t": standard loops (bpmn:standardLoopCharacteristics) are not supported; use multi-instance',
      ]);
    });
  });
});
