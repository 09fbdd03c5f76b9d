import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { parseActivityInput } from '../messaging/activity-input.ts';
import { recordUserTaskScore } from '../store/decision-scores.ts';
import { recordUserTaskClosed, recordUserTaskOpened } from '../store/user-task-read-model.ts';
import { ClosedUserTask, OpenedUserTask } from './records.ts';

/** Activities through which runs keep the user task read model (`swarmflow tasks list`) current. */
export function createUserTaskActivities({ db }: { db: Kysely<Database> }) {
  return {
    /** Idempotent: a repeat leaves the first record. */
    async recordUserTaskOpened(task: OpenedUserTask): Promise<void> {
      const parsed = parseActivityInput(OpenedUserTask, task, 'user task');
      await recordUserTaskOpened(db, {
        ...parsed,
        dueDate: parsed.dueDate === null ? null : new Date(parsed.dueDate),
      });
    },

    /**
     * Idempotent: a repeat keeps the first ending. A completion whose output holds a score
     * (userTaskScore) is also recorded as a score on the run, given by the completer.
     */
    async recordUserTaskClosed(closing: ClosedUserTask): Promise<void> {
      const parsed = parseActivityInput(ClosedUserTask, closing, 'user task ending');
      await recordUserTaskClosed(db, parsed);
      if (parsed.status === 'completed') await recordUserTaskScore(db, parsed);
    },
  };
}
