import { type BudgetedCall, budgetUsed, limitReached } from '../../schema/budget.ts';
import type { SwarmLimits } from '../../schema/swarm.ts';
import { addUsage, type Usage } from '../../schema/usage.ts';

/** What a swarm is about to do: an LLM turn, a tool call, or start a subtask. */
export type SwarmCall = BudgetedCall | 'subtask';

/**
 * Which of the swarm's limits stops `call`, described, or undefined when none does. Budgets
 * reserved for running sub-swarms count as spent; duration is wall time since the swarm began.
 */
export function swarmLimitReached(
  spent: { usage: Usage; reserved: Usage; elapsedMs: number },
  limits: SwarmLimits,
  call: SwarmCall,
): string | undefined {
  const { maxDurationMs, ...budgets } = limits;
  if (maxDurationMs !== undefined && spent.elapsedMs >= maxDurationMs) {
    return `the swarm reached its limit maxDurationMs = ${maxDurationMs} (ran ${spent.elapsedMs} ms)`;
  }
  const reached = limitReached(
    addUsage(spent.usage, spent.reserved),
    budgets,
    call === 'subtask' ? 'turn' : call,
  );
  if (!reached) return undefined;
  return `the swarm reached its limit ${reached.limit} = ${reached.max} (used ${reached.used})`;
}

/** What is left of each budget the swarm has a limit on: what a sub-swarm may be given at most. */
export function remainingBudget(
  usage: Usage,
  reserved: Usage,
  limits: SwarmLimits,
): { maxCredits?: number; maxTokens?: number; maxToolCalls?: number } {
  const used = budgetUsed(addUsage(usage, reserved));
  const left = (limit: 'maxCredits' | 'maxTokens' | 'maxToolCalls') => {
    const max = limits[limit];
    return max === undefined ? {} : { [limit]: Math.max(0, max - used[limit]) };
  };
  return { ...left('maxCredits'), ...left('maxTokens'), ...left('maxToolCalls') };
}

/** A reservation as usage, so it can be added to and taken from what a swarm has spent. */
export function reservationUsage(budget: {
  maxCredits?: number;
  maxTokens?: number;
  maxToolCalls?: number;
}): Usage {
  return {
    inputTokens: budget.maxTokens ?? 0,
    outputTokens: 0,
    toolCalls: budget.maxToolCalls ?? 0,
    wallMs: 0,
    credits: budget.maxCredits ?? 0,
  };
}
