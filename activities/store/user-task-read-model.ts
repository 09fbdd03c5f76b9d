import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, UserTaskTable } from '../../schema/db/tables.ts';
import type { Variables } from '../../schema/json.ts';
import { UserTaskRecord } from '../../schema/user-task.ts';

type UserTaskStatus = UserTaskRecord['status'];

/** A user task as a run opens it. */
export type UserTaskOpening = Omit<
  UserTaskRecord,
  'status' | 'output' | 'createdAt' | 'completedAt' | 'completedBy'
>;

/** How a user task ended. */
export interface UserTaskClosing {
  runId: string;
  taskKey: string;
  status: Exclude<UserTaskStatus, 'open'>;
  output: Variables | null;
  /** Who completed it, when the caller was authenticated. */
  completedBy?: string | undefined;
}

export interface UserTaskFilter {
  runId?: string;
  status?: UserTaskStatus;
  assignee?: string;
  /** 100 when omitted. */
  limit?: number;
}

const defaultListLimit = 100;

/** Records an open user task. Repeating it changes nothing: the first record stands. */
export async function recordUserTaskOpened(db: Kysely<Database>, task: UserTaskOpening): Promise<void> {
  await db
    .insertInto('user_tasks')
    .values({
      run_id: task.runId,
      task_key: task.taskKey,
      tenant_id: task.tenantId,
      element_id: task.elementId,
      name: task.name,
      assignee: task.assignee,
      candidate_groups: JSON.stringify(task.candidateGroups),
      due_date: task.dueDate,
      form_key: task.formKey,
      status: 'open',
      variables: JSON.stringify(task.variables),
    })
    .onConflict((conflict) => conflict.columns(['run_id', 'task_key']).doNothing())
    .execute();
}

/**
 * Records how an open user task ended. Repeating it keeps the first ending; a task never
 * recorded as opened is an error, so a retry waits for the opening to be written.
 */
export async function recordUserTaskClosed(db: Kysely<Database>, closing: UserTaskClosing): Promise<void> {
  const { numUpdatedRows } = await db
    .updateTable('user_tasks')
    .set({
      status: closing.status,
      output: closing.output === null ? null : JSON.stringify(closing.output),
      completed_at: sql<Date>`now()`,
      completed_by: closing.completedBy ?? null,
    })
    .where('run_id', '=', closing.runId)
    .where('task_key', '=', closing.taskKey)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  if (numUpdatedRows > 0n) return;
  const existing = await db
    .selectFrom('user_tasks')
    .select('status')
    .where('run_id', '=', closing.runId)
    .where('task_key', '=', closing.taskKey)
    .executeTakeFirst();
  if (!existing) {
    throw new Error(`no user task "${closing.taskKey}" of run "${closing.runId}": record its opening first`);
  }
}

/** The tenant's user tasks, oldest first. */
export async function listUserTasks(
  db: Kysely<Database>,
  tenantId: string,
  filter: UserTaskFilter = {},
): Promise<UserTaskRecord[]> {
  let query = db.selectFrom('user_tasks').selectAll().where('tenant_id', '=', tenantId);
  if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.assignee !== undefined) query = query.where('assignee', '=', filter.assignee);
  const rows = await query
    .orderBy('created_at')
    .orderBy('run_id')
    .orderBy('task_key')
    .limit(filter.limit ?? defaultListLimit)
    .execute();
  return rows.map(toUserTaskRecord);
}

function toUserTaskRecord(row: Selectable<UserTaskTable>): UserTaskRecord {
  return UserTaskRecord.parse({
    runId: row.run_id,
    taskKey: row.task_key,
    tenantId: row.tenant_id,
    elementId: row.element_id,
    name: row.name,
    assignee: row.assignee,
    candidateGroups: row.candidate_groups,
    dueDate: row.due_date,
    formKey: row.form_key,
    status: row.status,
    variables: row.variables,
    output: row.output,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
  });
}
