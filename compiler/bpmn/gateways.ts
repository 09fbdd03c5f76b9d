import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import type { ElementBase } from './elements.ts';

export function compileExclusiveGateway(node: FlowNode, base: ElementBase): FlowElement {
  const defaultFlow = node.default?.id;
  return { ...base, kind: 'exclusiveGateway', ...(defaultFlow === undefined ? {} : { defaultFlow }) };
}

export function compileParallelGateway(_node: FlowNode, base: ElementBase): FlowElement {
  return { ...base, kind: 'parallelGateway' };
}
