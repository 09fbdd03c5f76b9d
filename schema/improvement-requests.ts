import { z } from 'zod';
import type { CanaryCycle, ParkedCycle } from './cycle-outcome.ts';
import type { ImprovementCycleResult } from './improvement-cycle.ts';
import { OptimizerName } from './optimizer-name.ts';
import { RoutineId } from './routine.ts';

/** The overrides of a routine's improvement section a cycle may be started with. */
const cycleOverrides = {
  autoPromote: z
    .boolean()
    .optional()
    .describe("promote without a person's approval (default: the routine's policy)"),
  budgetCredits: z
    .number()
    .positive()
    .optional()
    .describe("credits the cycle may spend (default: the routine's policy, else 100)"),
  optimizers: z
    .array(OptimizerName)
    .min(1)
    .optional()
    .describe("the optimizers to ask (default: the routine's policy)"),
};

/** `improve schedule`: a Temporal Schedule that starts a cycle every interval or on a cron expression. */
export const ScheduleImprovementRequest = z
  .strictObject({
    routineId: RoutineId,
    every: z
      .string()
      .regex(/^\d+(ms|s|m|h|d)$/, 'give an interval such as 1d, 12h or 30m')
      .optional(),
    cron: z.string().min(1).optional().describe('a cron expression, e.g. "0 3 * * *"'),
    ...cycleOverrides,
  })
  .refine((request) => (request.every === undefined) !== (request.cron === undefined), {
    message: 'give exactly one of every (e.g. 1d) and cron (e.g. "0 3 * * *")',
    path: ['every'],
  });
export type ScheduleImprovementRequest = z.input<typeof ScheduleImprovementRequest>;

/** `improve run`: one cycle now. */
export const RunImprovementRequest = z.strictObject({
  routineId: RoutineId,
  cycle: z
    .string()
    .regex(/^[\w.-]{1,60}$/, 'cycle names use letters, digits, "_", "." or "-" (at most 60)')
    .optional()
    .describe('names the cycle (default: generated); the workflow is improve/<tenant>/<routine>/<cycle>'),
  proposalTimeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('how long a proposal waits (default 7 days)'),
  ...cycleOverrides,
});
export type RunImprovementRequest = z.input<typeof RunImprovementRequest>;

/** `improve approve|reject`: a person's decision on a cycle's pending proposal. */
export const ProposalDecisionRequest = z.strictObject({
  /** A proposal id, or the cycle's id (its workflow id). */
  proposal: z.string().min(1),
  reason: z.string().min(1).max(2000).optional(),
  decidedBy: z.string().min(1).optional(),
  /** Set by the API server from the caller's key: one must be an approver role. */
  deciderRoles: z.array(z.string()).optional(),
});
export type ProposalDecisionRequest = z.input<typeof ProposalDecisionRequest>;

/** A started cycle. */
export interface StartedCycle {
  cycleId: string;
  routineId: string;
}

/** A routine's improvement schedule, as created. */
export interface ImprovementSchedule {
  scheduleId: string;
  routineId: string;
  every: string | null;
  cron: string | null;
}

/**
 * Where a cycle is: still going, parked on a pending proposal (`waiting`), releasing its candidate
 * as a canary (`canary`), ended with its result, or failed (or was cancelled or terminated) with why.
 */
export interface ImprovementCycleStatus {
  cycleId: string;
  status: 'running' | 'waiting' | 'canary' | 'completed' | 'failed';
  /** The cycle's result once it completed, else null. */
  result: ImprovementCycleResult | null;
  /** What it evaluated and decided so far while `waiting` or `canary`, else null. */
  cycle: ParkedCycle | CanaryCycle | null;
  /** Why it failed, else null. */
  error: string | null;
}
