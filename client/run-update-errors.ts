import type { UserTaskRecord } from '../schema/user-task.ts';

/** A run refused to complete a user task: unknown, or no longer open. */
export class UserTaskNotOpenError extends Error {
  override readonly name = 'UserTaskNotOpenError';
  constructor(
    readonly runId: string,
    readonly task: { elementId: string; taskKey?: string },
    readonly reason: string,
    readonly openTasks: UserTaskRecord[],
  ) {
    super(
      `run ${runId} cannot complete user task ${describeTask(task)}: ${reason}; ${describeOpen(openTasks)}`,
    );
  }
}

/** A run refused to retry its incident, e.g. because it has none. */
export class IncidentNotResolvedError extends Error {
  override readonly name = 'IncidentNotResolvedError';
  constructor(
    readonly runId: string,
    readonly reason: string,
  ) {
    super(`run ${runId} cannot resolve its incident: ${reason}`);
  }
}

function describeTask({ elementId, taskKey }: { elementId: string; taskKey?: string }): string {
  return taskKey === undefined ? `"${elementId}"` : `"${elementId}" (task ${taskKey})`;
}

function describeOpen(tasks: UserTaskRecord[]): string {
  if (tasks.length === 0) return 'it has no open user tasks';
  return `its open user tasks: ${tasks.map((t) => `${t.elementId} (task ${t.taskKey})`).join(', ')}`;
}
