import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';

export function compileStartEvent(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  return isNoneEvent(node, 'start', report) ? { ...base, kind: 'startEvent' } : undefined;
}

export function compileEndEvent(node: FlowNode, base: ElementBase, report: Report): FlowElement | undefined {
  return isNoneEvent(node, 'end', report) ? { ...base, kind: 'endEvent' } : undefined;
}

/** What triggers or results from an event: "timer", "message"...; none for a none event. */
export function eventKinds(node: FlowNode): string[] {
  return [...(node.eventDefinitions ?? []), ...(node.eventDefinitionRef ?? [])].map((definition) =>
    definition.$type.replace(/^bpmn:(\w+)EventDefinition$/, '$1').toLowerCase(),
  );
}

function isNoneEvent(node: FlowNode, position: 'start' | 'end', report: Report): boolean {
  const kinds = eventKinds(node);
  if (kinds.length > 0) report(`${kinds.join(' + ')} ${position} events are not supported yet`);
  return kinds.length === 0;
}
