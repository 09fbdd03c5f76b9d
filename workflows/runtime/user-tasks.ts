import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import { bookkeeping } from '../effects.ts';
import { evaluateFeel } from '../feel.ts';
import type { RunContext } from './run-context.ts';

/**
 * A user task: recorded as open for people to find, then the run waits (for days if need be)
 * until someone completes it through the `completeUserTask` update; its output is the result.
 */
export async function runUserTask(
  run: RunContext,
  task: ElementOfKind<'userTask'>,
  variables: Variables,
): Promise<Variables> {
  const taskKey = run.nextKey(task.id);
  const closed = (
    status: 'completed' | 'cancelled',
    output: Variables | null,
    completedBy: string | null = null,
  ) =>
    bookkeeping.recordUserTaskClosed({
      runId: run.scope.runId,
      taskKey,
      status,
      output,
      ...(completedBy === null ? {} : { completedBy }),
    });
  run.inbox.openUserTask(taskKey, task.id);
  // Recorded whole even if the run is cancelled meanwhile, so the closing record below always follows it.
  await CancellationScope.nonCancellable(() =>
    bookkeeping.recordUserTaskOpened({
      runId: run.scope.runId,
      taskKey,
      tenantId: run.scope.routine.tenantId,
      elementId: task.id,
      name: task.name ?? null,
      assignee: optionalText(task.assignee, variables),
      candidateGroups: groups(task.candidateGroups, variables),
      dueDate: optionalText(task.dueDate, variables),
      formKey: task.formKey ?? null,
      variables,
    }),
  );
  try {
    const { output, completedBy } = await run.inbox.waitForUserTask(taskKey);
    await closed('completed', output, completedBy);
    return output;
  } catch (error) {
    if (isCancellation(error)) await CancellationScope.nonCancellable(() => closed('cancelled', null));
    throw error;
  }
}

function optionalText(expression: string | undefined, variables: Variables): string | null {
  if (expression === undefined) return null;
  const value = evaluateFeel(expression, variables);
  return value === null ? null : String(value);
}

function groups(expression: string | undefined, variables: Variables): string[] {
  if (expression === undefined) return [];
  const value: JsonValue = evaluateFeel(expression, variables);
  if (Array.isArray(value)) return value.map(String);
  return value === null
    ? []
    : String(value)
        .split(',')
        .map((group) => group.trim())
        .filter(Boolean);
}
