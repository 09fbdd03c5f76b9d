import {
  ApplicationFailure,
  ChildWorkflowCancellationType,
  condition,
  isCancellation,
  ParentClosePolicy,
  startChild,
} from '@temporalio/workflow';
import type { ImprovementCycleInput, ImprovementCycleResult } from '../../schema/improvement-cycle.ts';
import type { JsonValue } from '../../schema/json.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type { ImprovementSpec, Subtask } from '../../schema/swarm.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { rootFailure } from '../failures.ts';
import type { improvementWorkflow } from '../improvement-workflow.ts';
import type { Swarm } from './swarm.ts';

/**
 * The patch behind improvement subtasks: the leader is offered `improve_routine` only in swarms
 * that passed it, so a swarm recorded before never sees the tool, nor the cycles it would start.
 */
export const SWARM_IMPROVEMENT_SUBTASK = 'swarm-improvement-subtask';

/** The routines this swarm's team used: run as child runs, or planned as routine subtasks. */
export function routinesUsed(swarm: Swarm, ranOnly = false): Set<string> {
  const ran = swarm.children.flatMap((child) =>
    child.kind === 'run' && child.routineId !== undefined ? [child.routineId] : [],
  );
  const planned = ranOnly
    ? []
    : swarm.board.subtasks.flatMap((subtask) =>
        subtask.routineId !== undefined && subtask.status !== 'cancelled' ? [subtask.routineId] : [],
      );
  return new Set([...ran, ...planned]);
}

/** The workflow id of the cycle an improvement subtask starts. */
export function improvementCycleId(swarm: Swarm, subtaskId: string, routineId: string): string {
  return `improve/${swarm.tenantId}/${routineId}/${swarm.swarmId}.${subtaskId}`;
}

/**
 * Runs an improvement cycle of a routine the swarm used as a child `improvementWorkflow`, with the
 * credits reserved for it as its budget and no say over promotion (the routine's policy decides).
 * The subtask's result is the cycle's result when it ends; when its proposal waits for a person,
 * the subtask does not wait days: it ends with the parked state (the pending proposal), and the
 * cycle goes on by itself (abandoned, not cancelled, by the swarm's end or stop).
 *
 * The swarm is charged what the cycle spent when it ends; a parked cycle spent at most its budget
 * and spends nothing more, but its exact spend is not known until it ends, so the swarm is charged
 * its budget (the reservation, now spent).
 */
export async function runImprovementSubtask(
  swarm: Swarm,
  subtask: Subtask,
  spec: ImprovementSpec,
): Promise<JsonValue> {
  const { routineId, budgetCredits } = spec;
  if (!routinesUsed(swarm, true).has(routineId)) {
    throw ApplicationFailure.nonRetryable(
      `routine ${routineId} did not run in this swarm: a swarm improves only routines its team ran`,
      'RoutineNotUsed',
    );
  }
  const workflowId = improvementCycleId(swarm, subtask.id, routineId);
  const input: ImprovementCycleInput = {
    tenantId: swarm.tenantId,
    routineId,
    budgetCredits,
    ...(spec.optimizers === undefined ? {} : { optimizers: spec.optimizers }),
  };
  const child = {
    kind: 'improvement' as const,
    id: workflowId,
    workflowId,
    subtaskId: subtask.id,
    routineId,
  };
  const handle = await startChild<typeof improvementWorkflow>('improvementWorkflow', {
    workflowId,
    args: [input],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    cancellationType: ChildWorkflowCancellationType.ABANDON,
    typedSearchAttributes: [
      { key: SearchAttributes.tenant, value: swarm.tenantId },
      { key: SearchAttributes.routineId, value: routineId },
    ],
  });
  swarm.trackChild({ ...child, status: 'running' });
  swarm.currentActivity = `improving routine ${routineId} (${workflowId})`;
  let ended: { result: ImprovementCycleResult } | { error: unknown } | undefined;
  handle.result().then(
    (result) => {
      ended = { result };
    },
    (error: unknown) => {
      ended = { error };
    },
  );
  try {
    await condition(() => ended !== undefined || swarm.waitingCycles.has(workflowId));
  } catch (error) {
    if (isCancellation(error)) swarm.trackChild({ ...child, status: 'abandoned' });
    throw error;
  }
  const charge = (credits: number) => swarm.charge({ ...NO_USAGE, credits });
  if (ended === undefined) {
    const waiting = swarm.waitingCycles.get(workflowId);
    charge(budgetCredits);
    swarm.trackChild({ ...child, status: 'waiting' });
    return {
      cycleId: workflowId,
      routineId,
      status: 'waiting',
      decision: 'pending',
      proposalId: waiting?.proposalId ?? null,
      candidateVersion: waiting?.candidateVersion ?? null,
      promoted: null,
      chargedCredits: budgetCredits,
      note: `the proposal waits for a person (swarmflow improve approve|reject ${waiting?.proposalId}); the cycle goes on without this swarm`,
    };
  }
  if ('error' in ended) {
    const failure = rootFailure(ended.error);
    // A cycle that found no cases to evaluate spent nothing; otherwise what it spent is not known.
    if (failure.type !== 'NoImprovementCases') charge(budgetCredits);
    swarm.trackChild({ ...child, status: 'failed' });
    throw ApplicationFailure.nonRetryable(
      `the improvement cycle ${workflowId} failed: ${failure.message}`,
      failure.type ?? 'ImprovementCycleFailed',
    );
  }
  const { result } = ended;
  charge(result.spentCredits);
  swarm.trackChild({ ...child, status: 'completed' });
  const decided = result.candidates.find((candidate) => candidate.version === result.promoted);
  return {
    ...(result as unknown as { [key: string]: JsonValue }),
    status: 'completed',
    // The promoted candidate's decision (promoted by policy, or approved), else none was promoted.
    decision: decided?.decision ?? 'none',
    chargedCredits: result.spentCredits,
  };
}
