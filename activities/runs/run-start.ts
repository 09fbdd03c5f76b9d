import type { ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { RunLimits } from '../../schema/limits.ts';
import type { RoutineVersion } from '../../schema/routine.ts';
import type { RunWorkflowInput } from '../../schema/run.ts';
import { runSearchAttributes } from '../../schema/search-attributes.ts';

export function runWorkflowId(runId: string): string {
  return `run/${runId}`;
}

/** The input of a run of `graph` (a process of `routine`). */
export function runWorkflowInput(
  routine: RoutineVersion,
  graph: ProcessGraph,
  run: { variables: Variables; runId?: string; startId?: string },
): RunWorkflowInput {
  return {
    ...(run.runId === undefined ? {} : { runId: run.runId }),
    routine: { tenantId: routine.tenantId, id: routine.id, version: routine.version, hash: routine.hash },
    graph,
    variables: run.variables,
    limits: RunLimits.parse(routine.limits),
    ...(run.startId === undefined ? {} : { startId: run.startId }),
  };
}

/**
 * How to start a run of `graph` (a process of `routine`) as a Temporal workflow: its input and
 * the search attributes that make it findable. Used by the SDK, message start events and schedules.
 */
export function runWorkflowStart(
  routine: RoutineVersion,
  graph: ProcessGraph,
  run: { workflowId: string; taskQueue: string; variables: Variables; runId?: string; startId?: string },
) {
  return {
    workflowType: 'runWorkflow' as const,
    workflowId: run.workflowId,
    taskQueue: run.taskQueue,
    args: [runWorkflowInput(routine, graph, run)] as [RunWorkflowInput],
    typedSearchAttributes: runSearchAttributes(routine),
  };
}
