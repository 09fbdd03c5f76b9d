import { elementType, type FlowElement, type SequenceFlow } from '../../schema/graph.ts';
import { type CompileProblem, type Report, reporter } from '../errors.ts';

type Elements = Readonly<Record<string, FlowElement>>;
type Flows = Readonly<Record<string, SequenceFlow>>;

/** Structural checks on a process whose elements and flows compiled. */
export function validateGraph(elements: Elements, flows: Flows, problems: CompileProblem[]): void {
  for (const element of Object.values(elements)) {
    const report = reporter(problems, { id: element.id, type: bpmnType(element) });
    checkConnections(element, report);
    if (element.kind === 'exclusiveGateway') checkExclusiveGateway(element, flows, report);
  }
  for (const flow of Object.values(flows)) {
    const source = elements[flow.source];
    if (flow.condition !== undefined && source) {
      checkConditionSource(source, reporter(problems, { id: flow.id, type: 'bpmn:SequenceFlow' }));
    }
  }
}

/** `bpmn:ServiceTask` for a compiled service task, as the parser names it. */
export function bpmnType(element: FlowElement): string {
  const type = elementType(element);
  return `bpmn:${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

function checkConnections(element: FlowElement, report: Report): void {
  if (element.kind === 'startEvent') {
    if (element.incoming.length > 0) report('a start event cannot have incoming sequence flows');
  } else if (element.incoming.length === 0) {
    report('has no incoming sequence flow');
  }
  if (element.kind === 'endEvent') {
    if (element.outgoing.length > 0) report('an end event cannot have outgoing sequence flows');
  } else if (element.outgoing.length === 0) {
    report('has no outgoing sequence flow');
  }
}

function checkExclusiveGateway(
  gateway: Extract<FlowElement, { kind: 'exclusiveGateway' }>,
  flows: Flows,
  report: Report,
): void {
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

function checkConditionSource(source: FlowElement, report: Report): void {
  if (source.kind === 'exclusiveGateway') return;
  report(
    source.kind === 'parallelGateway'
      ? `a condition on a flow out of parallel gateway "${source.id}" would be ignored; remove it`
      : `conditional flows out of ${bpmnType(source)} "${source.id}" are not supported yet`,
  );
}
