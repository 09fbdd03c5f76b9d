import type { CompiledRoutine, FlowElement, ProcessGraph } from '../schema/graph.ts';
import type { RoutineDefinition } from '../schema/routine.ts';

type RoutineDefaults = Pick<RoutineDefinition, 'strategy' | 'toolPolicy'>;

/**
 * Writes the routine's default strategy and tool policy into each of its LLM steps, so a run
 * carries them in its graph: a step's own strategy still comes first (see selectStrategy), and
 * the routine's policy is one more layer that may only tighten the deployment's.
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
  if (element.kind !== 'workTask' || element.work.kind !== 'llm') return element;
  return { ...element, work: { ...element.work, routine } };
}
