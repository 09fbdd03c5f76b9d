import { elementType, type FlowElement, type SequenceFlow } from '../../schema/graph.ts';
import { type CompileProblem, type Report, reporter } from '../errors.ts';
import { checkLinks } from './links.ts';

type Elements = Readonly<Record<string, FlowElement>>;
type Flows = Readonly<Record<string, SequenceFlow>>;
type ConditionalGateway = Extract<FlowElement, { kind: 'exclusiveGateway' | 'inclusiveGateway' }>;

/** What an event-based gateway may wait for. */
const GATEWAY_EVENTS = new Set(['timer', 'message', 'signal']);

/** Structural checks on a process whose elements and flows compiled. */
export function validateGraph(elements: Elements, flows: Flows, problems: CompileProblem[]): void {
  for (const element of Object.values(elements)) {
    const report = reporter(problems, { id: element.id, type: bpmnType(element) });
    checkConnections(element, report);
    if (element.kind === 'exclusiveGateway' || element.kind === 'inclusiveGateway') {
      checkConditionalGateway(element, flows, report);
    }
    if (element.kind === 'eventBasedGateway') checkEventBasedGateway(element, elements, flows, report);
  }
  for (const flow of Object.values(flows)) {
    const source = elements[flow.source];
    if (flow.condition !== undefined && source) {
      checkConditionSource(source, reporter(problems, { id: flow.id, type: 'bpmn:SequenceFlow' }));
    }
  }
  checkLinks(Object.values(elements), problems);
}

/** `bpmn:ServiceTask` for a compiled service task, as the parser names it. */
export function bpmnType(element: FlowElement): string {
  const type = element.kind === 'eventSubProcess' ? 'subProcess' : elementType(element);
  return `bpmn:${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

/** What an element is called when it must have no incoming flow (it starts a path), if it must not. */
function pathStart(element: FlowElement): string | undefined {
  if (element.kind === 'startEvent') return 'a start event';
  if (element.kind === 'boundaryEvent') return 'a boundary event';
  if (element.kind === 'eventSubProcess') return 'an event sub-process';
  if (element.kind === 'intermediateCatchEvent' && element.trigger.kind === 'link')
    return 'a link catch event';
  return undefined;
}

/** What an element is called when it must have no outgoing flow (it ends a path), if it must not. */
function pathEnd(element: FlowElement): string | undefined {
  if (element.kind === 'endEvent') return 'an end event';
  if (element.kind === 'eventSubProcess') return 'an event sub-process';
  if (element.kind === 'intermediateThrowEvent' && element.result?.kind === 'link')
    return 'a link throw event';
  return undefined;
}

function checkConnections(element: FlowElement, report: Report): void {
  const start = pathStart(element);
  if (start) {
    if (element.incoming.length > 0) report(`${start} cannot have incoming sequence flows`);
  } else if (element.incoming.length === 0) {
    report('has no incoming sequence flow');
  }
  const end = pathEnd(element);
  if (end) {
    if (element.outgoing.length > 0) report(`${end} cannot have outgoing sequence flows`);
  } else if (element.outgoing.length === 0) {
    report('has no outgoing sequence flow');
  }
}

/** An exclusive or inclusive gateway: a default flow of its own, and conditions on every other flow. */
function checkConditionalGateway(gateway: ConditionalGateway, flows: Flows, report: Report): void {
  const { defaultFlow, outgoing } = gateway;
  if (defaultFlow !== undefined && !outgoing.includes(defaultFlow)) {
    report(`its default flow "${defaultFlow}" is not one of its outgoing flows`);
  } else if (defaultFlow !== undefined && flows[defaultFlow]?.condition !== undefined) {
    report(`its default flow "${defaultFlow}" must not have a condition`);
  }
  if (outgoing.length < 2) return;
  for (const flowId of outgoing) {
    if (flowId !== defaultFlow && flows[flowId]?.condition === undefined) {
      report(`outgoing flow "${flowId}" needs a condition, or must be the default flow`);
    }
  }
}

/** An event-based gateway leads to at least two events it can wait for: timer, message or signal catch events and receive tasks. */
function checkEventBasedGateway(
  gateway: FlowElement,
  elements: Elements,
  flows: Flows,
  report: Report,
): void {
  if (gateway.outgoing.length < 2)
    report('an event-based gateway needs at least two outgoing sequence flows');
  for (const flowId of gateway.outgoing) {
    const target = elements[flows[flowId]?.target ?? ''];
    if (!target || target.kind === 'receiveTask') continue;
    if (target.kind !== 'intermediateCatchEvent' || !GATEWAY_EVENTS.has(target.trigger.kind)) {
      report(
        `outgoing flow "${flowId}" must lead to a timer, message or signal intermediate catch event or a receive task, not ${bpmnType(target)} "${target.id}"`,
      );
    }
  }
}

function checkConditionSource(source: FlowElement, report: Report): void {
  if (source.kind === 'exclusiveGateway' || source.kind === 'inclusiveGateway') return;
  report(
    source.kind === 'parallelGateway' || source.kind === 'eventBasedGateway'
      ? `a condition on a flow out of ${bpmnType(source)} "${source.id}" would be ignored; remove it`
      : `conditional flows out of ${bpmnType(source)} "${source.id}" are not supported yet`,
  );
}
