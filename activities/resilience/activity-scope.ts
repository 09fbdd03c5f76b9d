import { Context } from '@temporalio/activity';

/** What a Tier 3 activity needs from Temporal: its cancellation and a key that is the same on every attempt. */
export interface ActivityScope {
  signal: AbortSignal;
  /** `<workflow id>/<run id>/<activity id>`: the same on every attempt of one activity, unique otherwise. */
  idempotencyKey: string;
}

/** The scope of the activity running now; only callable inside an activity. */
export function currentActivityScope(): ActivityScope {
  const { info, cancellationSignal } = Context.current();
  const run = info.workflowExecution;
  const owner = run ? `${run.workflowId}/${run.runId}` : `standalone/${info.activityRunId ?? info.taskQueue}`;
  return { signal: cancellationSignal, idempotencyKey: `${owner}/${info.activityId}` };
}
