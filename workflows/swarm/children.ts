import { ApplicationFailure, isCancellation, startChild } from '@temporalio/workflow';
import type { Variables } from '../../schema/json.ts';
import { runSearchAttributes, swarmSearchAttributes } from '../../schema/search-attributes.ts';
import type { SubSwarmSpec, SwarmOutcome, SwarmWorkflowInput } from '../../schema/swarm.ts';
import { failedRunOutcome } from '../failures.ts';
import type { runWorkflow } from '../run-workflow.ts';
import type { swarmWorkflow } from '../swarm-workflow.ts';
import { swarmCatalog } from './activities.ts';
import { swarmWorkflowId } from './definitions.ts';
import type { Swarm } from './swarm.ts';

/**
 * Runs a routine of the catalog as a child run of the swarm (`run/<swarm id>:<name>`) and
 * returns its outputs; its usage is charged to the swarm, failed or not. A failed run throws.
 */
export async function runRoutineChild(
  swarm: Swarm,
  request: { routineId: string; input: Variables; name: string; subtaskId?: string },
): Promise<Variables> {
  const runId = `${swarm.swarmId}:${request.name}`;
  const input = await swarmCatalog.prepareSwarmRun({
    tenantId: swarm.tenantId,
    routineId: request.routineId,
    runId,
    input: request.input,
  });
  const workflowId = `run/${runId}`;
  const child = {
    kind: 'run' as const,
    id: runId,
    workflowId,
    routineId: request.routineId,
    ...subtaskOf(request),
  };
  const handle = await startChild<typeof runWorkflow>('runWorkflow', {
    workflowId,
    args: [input],
    typedSearchAttributes: runSearchAttributes(input.routine),
  });
  swarm.trackChild({ ...child, status: 'running' });
  try {
    const outcome = await handle.result();
    if (outcome.usage) swarm.charge(outcome.usage);
    swarm.trackChild({ ...child, status: outcome.status });
    return outcome.outputs;
  } catch (error) {
    const failed = failedRunOutcome(error);
    if (failed?.usage) swarm.charge(failed.usage);
    swarm.trackChild({
      ...child,
      status: isCancellation(error) ? 'cancelled' : (failed?.status ?? 'failed'),
    });
    throw error;
  }
}

/**
 * Runs a sub-swarm (`swarm/<swarm id>.<subtask id>`) with the budget reserved for it, one
 * level less of depth, and the parent's team unless it has its own; returns its result. Its
 * usage is charged when it ends (and its subtask's reservation then ends with the subtask).
 */
export async function runSubSwarm(
  swarm: Swarm,
  subtaskId: string,
  spec: SubSwarmSpec,
  input: Variables,
): Promise<SwarmOutcome['result']> {
  const swarmId = `${swarm.swarmId}.${subtaskId}`;
  const workflowId = swarmWorkflowId(swarmId);
  const child = { kind: 'swarm' as const, id: swarmId, workflowId, subtaskId };
  const { lineage } = swarm.input;
  const args: SwarmWorkflowInput = {
    swarmId,
    tenantId: swarm.tenantId,
    goal: spec.goal,
    team: spec.team ?? swarm.team,
    limits: { ...swarm.limits, ...spec.budget, maxDepth: swarm.limits.maxDepth - 1 },
    planner: swarm.input.planner,
    input,
    awaitMessages: false,
    ...(swarm.input.toolPolicy === undefined ? {} : { toolPolicy: swarm.input.toolPolicy }),
    lineage: { rootSwarmId: lineage.rootSwarmId, parentSwarmId: swarm.swarmId, depth: lineage.depth + 1 },
  };
  try {
    const handle = await startChild<typeof swarmWorkflow>('swarmWorkflow', {
      workflowId,
      args: [args],
      typedSearchAttributes: swarmSearchAttributes(swarm.tenantId),
    });
    swarm.trackChild({ ...child, status: 'running' });
    const outcome = await handle.result();
    swarm.charge(outcome.usage);
    swarm.trackChild({ ...child, status: outcome.status });
    if (outcome.status !== 'completed') {
      throw ApplicationFailure.nonRetryable(
        `sub-swarm ${swarmId} ended ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}`,
      );
    }
    return outcome.result;
  } catch (error) {
    if (isCancellation(error)) swarm.trackChild({ ...child, status: 'cancelled' });
    throw error;
  }
}

function subtaskOf(request: { subtaskId?: string }) {
  return request.subtaskId === undefined ? {} : { subtaskId: request.subtaskId };
}
