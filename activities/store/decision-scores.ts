import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { Variables } from '../../schema/json.ts';
import { userTaskScore } from '../user-tasks/task-score.ts';
import { recordRunScores, scoreId } from './run-scores.ts';

/**
 * People's decisions in a run, kept as scores on it with the decider's identity: an approval
 * decision (approved 1, rejected 0) and a completed user task whose output holds a score (see
 * userTaskScore). Each is recorded where the decision is already persisted, once, by an id derived
 * from the decision, so a retry writes nothing more.
 */

export interface ApprovalScore {
  tenantId: string;
  runId: string;
  callId: string;
  approved: boolean;
  decidedBy?: string | undefined;
  reason?: string | undefined;
  /** The tool the call was for, kept in the score's details. */
  tool?: string | undefined;
}

/** Records an approval decision on a run's tool call; false when the run is not `tenantId`'s. */
export async function recordApprovalScore(db: Kysely<Database>, decision: ApprovalScore): Promise<boolean> {
  const run = await db
    .selectFrom('runs')
    .select(['routine_id', 'routine_version'])
    .where('run_id', '=', decision.runId)
    .where('tenant_id', '=', decision.tenantId)
    .executeTakeFirst();
  if (!run) return false;
  await recordRunScores(db, [
    {
      id: scoreId('approval', decision.runId, decision.callId),
      tenantId: decision.tenantId,
      runId: decision.runId,
      routineId: run.routine_id,
      routineVersion: run.routine_version,
      source: 'approval',
      name: decision.tool === undefined ? 'approval' : `approval:${decision.tool}`,
      score: decision.approved ? 1 : 0,
      reason: decision.reason ?? null,
      givenBy: decision.decidedBy ?? null,
      details: { callId: decision.callId, ...(decision.tool === undefined ? {} : { tool: decision.tool }) },
    },
  ]);
  return true;
}

export interface UserTaskCompletion {
  runId: string;
  taskKey: string;
  output: Variables | null;
  completedBy?: string | undefined;
}

/** Records the score a completed user task gives its run, if its output holds one; returns it. */
export async function recordUserTaskScore(
  db: Kysely<Database>,
  completion: UserTaskCompletion,
): Promise<number | undefined> {
  const given = userTaskScore(completion.output);
  if (given === undefined) return undefined;
  const task = await db
    .selectFrom('user_tasks')
    .innerJoin('runs', 'runs.run_id', 'user_tasks.run_id')
    .select(['user_tasks.tenant_id', 'user_tasks.element_id', 'runs.routine_id', 'runs.routine_version'])
    .where('user_tasks.run_id', '=', completion.runId)
    .where('user_tasks.task_key', '=', completion.taskKey)
    .executeTakeFirst();
  if (!task) return undefined;
  await recordRunScores(db, [
    {
      id: scoreId('userTask', completion.runId, completion.taskKey),
      tenantId: task.tenant_id,
      runId: completion.runId,
      routineId: task.routine_id,
      routineVersion: task.routine_version,
      source: 'userTask',
      name: task.element_id,
      score: given.score,
      reason: given.reason ?? null,
      givenBy: completion.completedBy ?? null,
      details: { taskKey: completion.taskKey },
    },
  ]);
  return given.score;
}
