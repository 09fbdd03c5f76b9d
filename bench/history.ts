import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];
type Timestamp = NonNullable<HistoryEvent['eventTime']>;

export interface StepTimings {
  /** From one step's completion to the next step's completion (server clock). */
  stepMs: number[];
  /** From one step's completion to the next step's scheduling: the workflow task between them. */
  orchestrationMs: number[];
}

/**
 * Per-step timings of a sequential run, read from its event history: only consecutive steps
 * (activities named `activity`) count, so a run's start and its read-model writes are left out.
 */
export function stepTimings(history: History, activity: string): StepTimings {
  const names = new Map<string, string>();
  const timings: StepTimings = { stepMs: [], orchestrationMs: [] };
  let lastCompletedAt: number | undefined;
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      names.set(String(event.eventId), scheduled.activityType?.name ?? '');
      if (scheduled.activityType?.name !== activity) continue;
      if (lastCompletedAt !== undefined)
        timings.orchestrationMs.push(millis(event.eventTime) - lastCompletedAt);
      continue;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (!completed || names.get(String(completed.scheduledEventId)) !== activity) continue;
    const completedAt = millis(event.eventTime);
    if (lastCompletedAt !== undefined) timings.stepMs.push(completedAt - lastCompletedAt);
    lastCompletedAt = completedAt;
  }
  return timings;
}

/** The timings of several runs, pooled. */
export function pooled(all: readonly StepTimings[]): StepTimings {
  return {
    stepMs: all.flatMap((timings) => timings.stepMs),
    orchestrationMs: all.flatMap((timings) => timings.orchestrationMs),
  };
}

function millis(timestamp: Timestamp | null | undefined): number {
  if (!timestamp) throw new Error('a history event has no time');
  return Number(timestamp.seconds ?? 0) * 1000 + (timestamp.nanos ?? 0) / 1e6;
}
