import type { OutcomeError, Parking } from '../schema/outcome-error.ts';
import type { RunOutcome, RunStatus } from '../schema/run.ts';
import type { Subtask, SwarmOutcome } from '../schema/swarm.ts';
import { RUN_FAILED } from '../workflows/definitions.ts';

/**
 * The typed errors of outcomes that did not complete, as every `--json` output prints them:
 * `{message, type, elementId?, subtaskId?, runId?, hint?}`. Pure: it reads outcomes only.
 */

const typeOfStatus: Partial<Record<RunStatus, string>> = {
  failed: 'RunFailed',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  incident: 'Incident',
  paused: 'BudgetReached',
};

/** Where the outcome was waited for. */
export interface ReportContext {
  /** On the throwaway stack of `--embedded`, gone once the report is printed: nothing can be resolved there. */
  throwaway?: boolean;
}

/** Why a run did not complete; undefined for a completed run. */
export function runOutcomeError(outcome: RunOutcome, context: ReportContext = {}): OutcomeError | undefined {
  if (outcome.parkedOn) return parkingError(outcome.parkedOn, { ...context, reportedRunId: outcome.runId });
  if (outcome.status === 'completed') return undefined;
  const failedAt = outcome.trace.findLast((entry) => entry.status === 'failed')?.elementId;
  return {
    message: outcome.error ?? `the run ended ${outcome.status}`,
    type: typeOfStatus[outcome.status] ?? 'Failed',
    ...(failedAt === undefined ? {} : { elementId: failedAt }),
    ...(outcome.status === 'failed'
      ? { hint: `see each element the run went through: swarmflow runs status ${outcome.runId}` }
      : {}),
  };
}

/** Why a swarm did not complete; undefined for a completed swarm. */
export function swarmOutcomeError(
  outcome: SwarmOutcome,
  context: ReportContext = {},
): OutcomeError | undefined {
  if (outcome.parkedOn) return parkingError(outcome.parkedOn, context);
  if (outcome.status === 'completed') return undefined;
  const failure = outcome.failure ?? {
    message: outcome.error ?? `the swarm ended ${outcome.status}`,
    type: outcome.status === 'stopped' ? 'Stopped' : outcome.status === 'cancelled' ? 'Cancelled' : 'Failed',
  };
  if (failure.hint !== undefined || failure.type !== 'SubtasksFailed') return failure;
  return {
    ...failure,
    hint: `each failed subtask carries its error; the whole story: swarmflow swarm transcript ${outcome.swarmId}`,
  };
}

/** Why a subtask did not finish; undefined for one that is done or still to do. */
export function subtaskError(subtask: Subtask): OutcomeError | undefined {
  const subtaskId = subtask.id;
  if (subtask.status === 'failed') {
    const type = subtask.errorType === RUN_FAILED ? 'RunFailed' : (subtask.errorType ?? 'SubtaskFailed');
    return {
      message: subtask.error ?? 'the subtask failed',
      type,
      subtaskId,
      ...(subtask.runId === undefined ? {} : { runId: subtask.runId }),
    };
  }
  if (subtask.status === 'blocked') {
    return {
      message: subtask.error ?? 'a subtask it depends on did not finish',
      type: 'SubtaskBlocked',
      subtaskId,
    };
  }
  if (subtask.status === 'cancelled') {
    return { message: subtask.error ?? 'cancelled', type: 'Cancelled', subtaskId };
  }
  return undefined;
}

/** What a run or swarm parked on waits for, and the command that moves it on. */
export function parkingError(
  parking: Parking,
  { reportedRunId, throwaway = false }: ReportContext & { reportedRunId?: string } = {},
): OutcomeError {
  const where = {
    ...(parking.elementId === undefined ? {} : { elementId: parking.elementId }),
    ...(parking.subtaskId === undefined ? {} : { subtaskId: parking.subtaskId }),
    ...(parking.runId === undefined || parking.runId === reportedRunId ? {} : { runId: parking.runId }),
  };
  const resolve = `swarmflow runs resolve ${parking.runId} --set '<json>'`;
  if (parking.kind === 'incident') {
    return {
      message: parking.message,
      type: 'Incident',
      ...where,
      hint: throwaway
        ? `the throwaway stack of --embedded is gone, so nobody can resolve it there: fix the model or the input and run again, or run on a lasting stack (swarmflow server start; swarmflow worker) and resolve it with ${resolve}`
        : `fix the data, then retry the element: ${resolve}`,
    };
  }
  const hint =
    parking.runId !== undefined
      ? `raise the budget: swarmflow runs resume ${parking.runId} --limits '{"maxCredits": …}'`
      : `raise the limit: swarmflow swarm resume ${parking.swarmId} --limits '{"maxCredits": …}'`;
  return { message: parking.message, type: 'BudgetReached', ...where, hint };
}
