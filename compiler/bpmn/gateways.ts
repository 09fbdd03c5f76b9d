import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';

export function compileExclusiveGateway(node: FlowNode, base: ElementBase): FlowElement {
  const defaultFlow = node.default?.id;
  return { ...base, kind: 'exclusiveGateway', ...(defaultFlow === undefined ? {} : { defaultFlow }) };
}

/** Forks every flow whose condition holds and, as a join, waits for the tokens that can still arrive. */
export function compileInclusiveGateway(node: FlowNode, base: ElementBase): FlowElement {
  const defaultFlow = node.default?.id;
  return { ...base, kind: 'inclusiveGateway', ...(defaultFlow === undefined ? {} : { defaultFlow }) };
}

export function compileParallelGateway(_node: FlowNode, base: ElementBase): FlowElement {
  return { ...base, kind: 'parallelGateway' };
}

/** Waits for the first of the events its flows lead to; validateGraph checks those targets. */
export function compileEventBasedGateway(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  if (node.instantiate)
    report('an event-based gateway that starts the process (instantiate) is not supported');
  if (node.eventGatewayType === 'Parallel') report('a parallel event-based gateway is not supported');
  return { ...base, kind: 'eventBasedGateway' };
}
