import type { ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { jsonSchemaProblems } from '../../schema/json-schema.ts';
import type { RoutineVersion } from '../../schema/routine.ts';
import type { RunWorkflowInput } from '../../schema/run.ts';
import { runWorkflowInput } from '../runs/run-start.ts';
import { UnknownRoutineError, UnknownRoutineVersionError } from '../store/errors.ts';
import type { RoutineStore } from '../store/routine-store.ts';
import { SwarmFailureType, swarmRefusal } from './failures.ts';

export interface SwarmRunRequest {
  tenantId: string;
  routineId: string;
  version?: number;
  runId: string;
  input: Variables;
}

/**
 * The input of a swarm's child run of a routine's default process, its input checked against the
 * routine's input schema. An unknown routine or invalid input is refused (non-retryable).
 */
export async function prepareSwarmRun(
  routines: RoutineStore,
  request: SwarmRunRequest,
): Promise<RunWorkflowInput> {
  const routine = await routineToRun(routines, request);
  const problems = routine.inputSchema ? jsonSchemaProblems(routine.inputSchema, request.input) : [];
  if (problems.length > 0) {
    throw swarmRefusal(
      SwarmFailureType.invalidRoutineInput,
      `input for routine ${routine.id} (version ${routine.version}) does not fit its input schema: ${problems.join('; ')}; give the subtask these fields, or make it depend on a subtask whose result has them`,
    );
  }
  const graph = routine.compiled.processes[routine.compiled.defaultProcessId] as ProcessGraph;
  return runWorkflowInput(routine, graph, { variables: request.input, runId: request.runId });
}

async function routineToRun(routines: RoutineStore, request: SwarmRunRequest): Promise<RoutineVersion> {
  try {
    return await routines.forNewRun(request.tenantId, request.routineId, request.runId, request.version);
  } catch (error) {
    if (error instanceof UnknownRoutineError || error instanceof UnknownRoutineVersionError) {
      throw swarmRefusal(SwarmFailureType.unknownRoutine, `cannot run routine: ${error.message}`);
    }
    throw error;
  }
}
