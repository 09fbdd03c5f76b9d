import { z } from 'zod';

/**
 * Why a run, swarm or other piece of work did not complete, in the shape every `--json`
 * output uses: a script reads `type` to decide, a person reads `message` and `hint`.
 *
 * Types: `Incident` (a run parked on an element until someone resolves it), `BudgetReached`
 * (paused until a budget is raised), `RunFailed`, `Cancelled`, `Terminated`, `TimedOut`,
 * `Stopped`, `SubtasksFailed`, `SubtaskFailed`, `SubtaskBlocked`, and the swarm planner's and
 * activities' refusals (`NoMatchingRoutine`, `MissingRoutineInput`, `InvalidRoutineInput`,
 * `UnknownRoutine`, `TeamNotAssembled`, ...), else `Failed`.
 */
export const OutcomeError = z.object({
  message: z.string(),
  type: z.string().min(1),
  elementId: z.string().optional().describe('the BPMN element it happened at'),
  subtaskId: z.string().optional().describe('the swarm subtask it happened in'),
  runId: z.string().optional().describe('the run it happened in, when not the one reported'),
  hint: z.string().optional().describe('what to do about it: the command or flag that fixes it'),
});
export type OutcomeError = z.infer<typeof OutcomeError>;

/**
 * Where a run or swarm waits for a person and nothing else will move it: an incident to
 * resolve, or a budget to raise. `runId` names the run (for a swarm: its child run), `swarmId`
 * a swarm paused on its own limits.
 */
export const Parking = z.object({
  kind: z.enum(['incident', 'budget']),
  message: z.string(),
  runId: z.string().optional(),
  swarmId: z.string().optional(),
  subtaskId: z.string().optional(),
  elementId: z.string().optional(),
});
export type Parking = z.infer<typeof Parking>;
