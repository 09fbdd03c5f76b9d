import { Context } from '@temporalio/activity';
import type { LogMetadata } from '@temporalio/common';

/**
 * Logs a warning from code that runs in activities and sometimes outside them: inside an activity
 * through `Context.current().log`, so the line goes to the worker's logger with the activity's ids
 * (workflowId, activityId, runId, tenant...); elsewhere (a CLI command, a worker starting) as one
 * plain line on stderr, for the person running it.
 */
export function logWarning(message: string, meta: LogMetadata = {}): void {
  const context = activityContext();
  if (context) context.log.warn(message, meta);
  else process.stderr.write(`[WARN] ${message}\n`);
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
