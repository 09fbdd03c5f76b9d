import { describe, expect, it } from 'vitest';
import type { CompileProblem } from '../../../compiler/errors.ts';
import {
  boundaryEvent,
  bpmnDefinitions,
  bpmnProcess,
  flows,
  messageDefinition,
  messageElement,
  signalDefinition,
  signalElement,
  timerDefinition,
} from '../../support/bpmn.ts';
import { useConformance } from './conformance.ts';

const conformance = useConformance({ worker: false });

/** start -> `element` (id `x`) -> end */
const around = (element: string, rootElements = '') =>
  bpmnDefinitions(
    {
      rejected_process: `
        <bpmn:startEvent id="start" />
        ${element}
        <bpmn:endEvent id="end" />
        ${flows(['start', 'x'], ['x', 'end'])}`,
    },
    rootElements,
  );

const rejected: [what: string, xml: string, elementType: string, reason: RegExp][] = [
  ['a complex gateway', around('<bpmn:complexGateway id="x" />'), 'bpmn:ComplexGateway', /not supported/],
  [
    'an ad-hoc sub-process',
    around('<bpmn:adHocSubProcess id="x"><bpmn:task id="inside" /></bpmn:adHocSubProcess>'),
    'bpmn:AdHocSubProcess',
    /not supported/,
  ],
  [
    'a transaction',
    around(
      `<bpmn:transaction id="x"><bpmn:startEvent id="ts" /><bpmn:endEvent id="te" />${flows(['ts', 'te'])}</bpmn:transaction>`,
    ),
    'bpmn:Transaction',
    /not supported/,
  ],
  [
    'a compensation throw event',
    around(
      '<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>',
    ),
    'bpmn:IntermediateThrowEvent',
    /compensation/,
  ],
  [
    'a conditional catch event',
    around(
      '<bpmn:intermediateCatchEvent id="x"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=ready</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>',
    ),
    'bpmn:IntermediateCatchEvent',
    /conditional/,
  ],
  [
    'a standard loop',
    around('<bpmn:task id="x"><bpmn:standardLoopCharacteristics /></bpmn:task>'),
    'bpmn:Task',
    /standard loop/,
  ],
  [
    'a multiple event (two definitions)',
    around(
      `<bpmn:intermediateCatchEvent id="x">${messageDefinition('m')}${signalDefinition('s')}</bpmn:intermediateCatchEvent>`,
      `${messageElement('m', 'conf-m', 'key')}${signalElement('s', 'conf-s')}`,
    ),
    'bpmn:IntermediateCatchEvent',
    /several definitions/,
  ],
  [
    'a receive task that starts the process (instantiate)',
    around(
      '<bpmn:receiveTask id="x" messageRef="m" instantiate="true" />',
      messageElement('m', 'conf-m', 'key'),
    ),
    'bpmn:ReceiveTask',
    /instantiate/,
  ],
  [
    'a signal start event',
    bpmnDefinitions(
      {
        rejected_process: `
          <bpmn:startEvent id="start" />
          <bpmn:startEvent id="x">${signalDefinition('s')}</bpmn:startEvent>
          <bpmn:endEvent id="end" />
          ${flows(['start', 'end'], ['x', 'end'])}`,
      },
      signalElement('s', 'conf-s'),
    ),
    'bpmn:StartEvent',
    /signal start events are not supported/,
  ],
];

describe.concurrent('Rejection at registration, naming the element', () => {
  it.each(rejected)('rejects %s', async (_what, xml, elementType, reason) => {
    const registering = conformance.register(`rejected-${elementType.slice('bpmn:'.length)}`, xml);
    await expect(registering).rejects.toThrow(reason);
    const problems = await registering.then(
      () => [] as CompileProblem[],
      (error: { problems?: CompileProblem[] }) => error.problems ?? [],
    );
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'x', elementType }));
  });

  it('rejects a compensation boundary event and a cancel end event', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:task id="t" />
      ${boundaryEvent('undo', 't', '<bpmn:compensateEventDefinition />')}
      <bpmn:endEvent id="cancel"><bpmn:cancelEventDefinition /></bpmn:endEvent>
      ${flows(['start', 't'], ['t', 'cancel'])}`);
    const error = await conformance.register('rejected-compensation', xml).catch((e: unknown) => e);
    expect((error as { problems?: CompileProblem[] }).problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ elementId: 'undo', elementType: 'bpmn:BoundaryEvent' }),
        expect.objectContaining({ elementId: 'cancel', elementType: 'bpmn:EndEvent' }),
      ]),
    );
  });

  it('rejects a timer cycle on an interrupting boundary event (as Zeebe)', async () => {
    const xml = bpmnProcess(`
      <bpmn:startEvent id="start" />
      <bpmn:task id="t" />
      ${boundaryEvent('every', 't', timerDefinition('cycle', 'R2/PT1S'))}
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="end_every" />
      ${flows(['start', 't'], ['t', 'end'], ['every', 'end_every'])}`);
    await expect(conformance.register('rejected-cycle', xml)).rejects.toThrow(/"every".*timeCycle/s);
  });

  it('accepts data objects, data store references, lanes and text annotations (no run-time meaning)', async () => {
    const xml = bpmnProcess(`
      <bpmn:laneSet id="lanes"><bpmn:lane id="lane"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:startEvent id="start" />
      <bpmn:dataObject id="order_data" />
      <bpmn:dataObjectReference id="order_ref" dataObjectRef="order_data" />
      <bpmn:dataStoreReference id="store_ref" />
      <bpmn:textAnnotation id="note"><bpmn:text>a note</bpmn:text></bpmn:textAnnotation>
      <bpmn:endEvent id="end" />
      ${flows(['start', 'end'])}`);
    await expect(conformance.register('accepted-artifacts', xml)).resolves.toBe('conf-accepted-artifacts');
  });
});
