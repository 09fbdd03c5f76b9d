import { ApplicationFailure } from '@temporalio/activity';
import type { Variables } from '../../schema/json.ts';
import { headerValue } from './header-value.ts';
import { http } from './http.ts';
import type { TaskContext, TaskHandler } from './registry.ts';

/** `echo`: returns the variables it was given (a task's local inputs included). */
async function echo({ variables }: TaskContext): Promise<Variables> {
  return variables;
}

/** `set`: each header becomes a variable; a value starting with `=` is a FEEL expression. */
async function set({ variables, headers }: TaskContext): Promise<Variables> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, headerValue(value, variables)]),
  );
}

/** `sleep`: waits `ms` milliseconds (variable or header), heartbeating, and stops if cancelled. */
async function sleep({ variables, headers, signal, heartbeat }: TaskContext): Promise<Variables> {
  const ms = Number(variables.ms ?? headers.ms ?? 0);
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    heartbeat();
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, deadline - Date.now())));
  }
  return {};
}

/** `fail`: fails the step with `message` (variable or header); never retried. */
async function fail({ variables, headers }: TaskContext): Promise<Variables> {
  const message = String(variables.message ?? headers.message ?? 'the fail task was reached');
  throw ApplicationFailure.create({ type: 'TaskFailed', message, nonRetryable: true });
}

export const builtinTaskTypes: Record<string, TaskHandler> = { echo, set, sleep, fail, http };
