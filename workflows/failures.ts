import { ApplicationFailure, isCancellation, TemporalFailure } from '@temporalio/workflow';
import type { RunOutcome } from '../schema/run.ts';
import { RUN_FAILED } from './definitions.ts';
import { FeelError } from './feel.ts';
import { RunIncident } from './navigator/incident.ts';
import { BpmnError, RunLimitExceeded } from './runtime/errors.ts';

/** The innermost message of a failure chain: what actually went wrong, not the wrappers around it. */
export function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof TemporalFailure && current.cause) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The innermost failure of a chain: its message, its type, and the hint a refusal carries in its first detail. */
export function rootFailure(error: unknown): { message: string; type: string; hint?: string } {
  let current: unknown = error;
  while (current instanceof TemporalFailure && current.cause) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  if (!(current instanceof ApplicationFailure)) return { message, type: 'Failed' };
  const detail: unknown = current.details?.[0];
  const hint =
    typeof detail === 'object' && detail !== null && 'hint' in detail && typeof detail.hint === 'string'
      ? detail.hint
      : undefined;
  return { message, type: current.type ?? 'Failed', ...(hint === undefined ? {} : { hint }) };
}

/** True for errors that end a run as failed; anything else is a bug Temporal should retry as a workflow task. */
export function isRunFailure(error: unknown): boolean {
  return (
    error instanceof RunIncident ||
    error instanceof FeelError ||
    error instanceof BpmnError ||
    error instanceof RunLimitExceeded ||
    (error instanceof TemporalFailure && !isCancellation(error)) ||
    error instanceof ApplicationFailure
  );
}

/** The outcome a failed child run carries in its failure, if it got that far. */
export function failedRunOutcome(error: unknown): RunOutcome | undefined {
  let current: unknown = error;
  while (current instanceof TemporalFailure) {
    if (current instanceof ApplicationFailure && current.type === RUN_FAILED) {
      return current.details?.[0] as RunOutcome | undefined;
    }
    current = current.cause;
  }
  return undefined;
}
