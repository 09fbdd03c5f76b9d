import { type CompiledRoutine, type FlowElement, isMcpWork, type ProcessGraph } from '../schema/graph.ts';
import type { RoutineDefinition } from '../schema/routine.ts';

type RoutineDefaults = Pick<RoutineDefinition, 'strategy' | 'toolPolicy'>;

/**
 * Writes the routine's default strategy and tool policy into each of its LLM steps, and its tool
 * policy into each task bound to an MCP tool, so a run carries them in its graph: a step's own
 * strategy still comes first (see selectStrategy), and the routine's policy is one more layer
 * that may only tighten the deployment's.
 */
export function withRoutineDefaults(compiled: CompiledRoutine, defaults: RoutineDefaults): CompiledRoutine {
  const { strategy, toolPolicy } = defaults;
  if (strategy === undefined && toolPolicy === undefined) return compiled;
  const routine = { ...(strategy ? { strategy } : {}), ...(toolPolicy ? { toolPolicy } : {}) };
  const processes = Object.entries(compiled.processes).map(([id, graph]) => [
    id,
    withDefaults(graph, routine),
  ]);
  return { ...compiled, processes: Object.fromEntries(processes) };
}

function withDefaults(graph: ProcessGraph, routine: RoutineDefaults): ProcessGraph {
  const elements = Object.entries(graph.elements).map(([id, element]) => [id, elementWith(element, routine)]);
  return { ...graph, elements: Object.fromEntries(elements) };
}

function elementWith(element: FlowElement, routine: RoutineDefaults): FlowElement {
  if (element.kind !== 'workTask') return element;
  const { work } = element;
  if (work.kind === 'llm') return { ...element, work: { ...work, routine } };
  if (isMcpWork(work) && routine.toolPolicy) {
    return { ...element, work: { ...work, routine: { toolPolicy: routine.toolPolicy } } };
  }
  return element;
}
