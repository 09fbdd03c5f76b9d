import type { ProcessGraph } from '../../schema/graph.ts';

/**
 * Whether a token at `fromElementId` can still arrive over one of `flowIds` (all entering
 * `targetId`), moving along sequence flows of its scope without passing `targetId`. This is
 * what an inclusive join waits for: it fires once no such token remains.
 */
export function canStillArrive(
  graph: ProcessGraph,
  fromElementId: string,
  targetId: string,
  flowIds: ReadonlySet<string>,
): boolean {
  const seen = new Set<string>();
  const pending = [fromElementId];
  while (pending.length > 0) {
    const elementId = pending.pop() as string;
    if (seen.has(elementId) || elementId === targetId) continue;
    seen.add(elementId);
    const element = graph.elements[elementId];
    for (const flowId of [...(element?.outgoing ?? []), ...boundaryOutgoing(graph, elementId)]) {
      if (flowIds.has(flowId)) return true;
      const target = graph.flows[flowId]?.target;
      if (target !== undefined) pending.push(target);
    }
  }
  return false;
}

function boundaryOutgoing(graph: ProcessGraph, elementId: string): string[] {
  const element = graph.elements[elementId];
  if (!element || !('boundaryEvents' in element)) return [];
  return element.boundaryEvents.flatMap((id) => graph.elements[id]?.outgoing ?? []);
}
