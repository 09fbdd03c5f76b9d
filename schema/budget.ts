import { z } from 'zod';
import type { RunLimits } from './limits.ts';
import type { Usage } from './usage.ts';

/**
 * Run budgets: the limits on what a run may spend (credits, tokens, tool calls, wall time),
 * checked before each LLM turn and tool call. Pure: workflows check them, clients validate.
 */
export const BudgetLimit = z.enum(['maxCredits', 'maxTokens', 'maxToolCalls', 'maxDurationMs']);
export type BudgetLimit = z.infer<typeof BudgetLimit>;

/** The call about to be made: an LLM turn is checked against every budget but tool calls; a tool call against all. */
export type BudgetedCall = 'turn' | 'toolCall';

/** A budget the run has used up: which limit, what it set, and what the run used. */
export const LimitReached = z.object({ limit: BudgetLimit, max: z.number(), used: z.number() });
export type LimitReached = z.infer<typeof LimitReached>;

/** The `resumeRun` update's argument: the budgets to set before a paused run goes on. */
export const ResumeRunRequest = z.strictObject({
  limits: z.strictObject({
    maxCredits: z.number().nonnegative().optional(),
    maxTokens: z.number().int().nonnegative().optional(),
    maxToolCalls: z.number().int().nonnegative().optional(),
    maxDurationMs: z.number().int().nonnegative().optional(),
    onLimit: z.enum(['pause', 'fail']).optional(),
  }),
});
export type ResumeRunRequest = z.infer<typeof ResumeRunRequest>;

/** What a run has used of each budget. */
export function budgetUsed(usage: Usage): Record<BudgetLimit, number> {
  return {
    maxCredits: usage.credits,
    maxTokens: usage.inputTokens + usage.outputTokens,
    maxToolCalls: usage.toolCalls,
    maxDurationMs: usage.wallMs,
  };
}

/** The first budget that would stop `call`: one whose use has reached its limit. */
export function limitReached(
  usage: Usage,
  limits: Pick<RunLimits, BudgetLimit>,
  call: BudgetedCall,
): LimitReached | undefined {
  const used = budgetUsed(usage);
  for (const limit of BudgetLimit.options) {
    const max = limits[limit];
    if (limit === 'maxToolCalls' && call !== 'toolCall') continue;
    if (max !== undefined && used[limit] >= max) return { limit, max, used: used[limit] };
  }
  return undefined;
}

export function describeLimit({ limit, max, used }: LimitReached): string {
  return `the run reached its limit ${limit} = ${max} (used ${used})`;
}
