import {
  type BlockFork,
  type FlowElementInput,
  ProcessGraph,
  type SequenceFlow,
} from '../../schema/graph.ts';

type ElementSpec = { id: string } & (
  | { kind: 'startEvent' | 'endEvent' | 'task' | 'parallelGateway' }
  | { kind: 'exclusiveGateway' | 'inclusiveGateway'; defaultFlow?: string }
  | { kind: 'script'; expression: string; resultVariable: string }
  | { kind: 'service'; taskType: string; headers?: Record<string, string> }
) & { inputs?: FlowElementInput['inputs']; outputs?: FlowElementInput['outputs'] };

type FlowSpec = [source: string, target: string, condition?: string];

/** Builds a ProcessGraph for navigator tests, deriving flow ids (`source->target`) and element wiring. */
export function buildGraph(spec: {
  elements: ElementSpec[];
  flows: FlowSpec[];
  forks?: Record<string, BlockFork>;
}): ProcessGraph {
  const flows: Record<string, SequenceFlow> = {};
  for (const [source, target, condition] of spec.flows) {
    const id = `${source}->${target}`;
    flows[id] = { id, source, target, ...(condition === undefined ? {} : { condition }) };
  }
  const elements: Record<string, FlowElementInput> = {};
  for (const element of spec.elements) {
    const wiring = {
      id: element.id,
      scope: 'test',
      incoming: Object.values(flows)
        .filter((f) => f.target === element.id)
        .map((f) => f.id),
      outgoing: Object.values(flows)
        .filter((f) => f.source === element.id)
        .map((f) => f.id),
      inputs: element.inputs ?? [],
      outputs: element.outputs ?? [],
    };
    elements[element.id] = toElement(element, wiring);
  }
  const start = spec.elements.find((e) => e.kind === 'startEvent');
  const startId = start?.id ?? spec.elements[0]?.id;
  return ProcessGraph.parse({ id: 'test', startId, elements, flows, forks: spec.forks ?? {} });
}

function toElement(spec: ElementSpec, wiring: Omit<FlowElementInput, 'kind'>): FlowElementInput {
  switch (spec.kind) {
    case 'script':
      return {
        ...wiring,
        kind: 'workTask',
        bpmnType: 'scriptTask',
        work: { kind: 'script', expression: spec.expression, resultVariable: spec.resultVariable },
      };
    case 'service':
      return {
        ...wiring,
        kind: 'workTask',
        bpmnType: 'serviceTask',
        work: { kind: 'service', taskType: spec.taskType, headers: spec.headers ?? {} },
      };
    case 'exclusiveGateway':
    case 'inclusiveGateway':
      return { ...wiring, kind: spec.kind, ...(spec.defaultFlow ? { defaultFlow: spec.defaultFlow } : {}) };
    default:
      return { ...wiring, kind: spec.kind };
  }
}
