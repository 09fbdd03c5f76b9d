import { z } from 'zod';

/**
 * How a step runs. Conversational: one LLM answer to a prompt. Reasoning: an LLM that may call
 * tools over several turns. Deterministic: no LLM (an expression, a task type, a tool call).
 */
export const StrategyName = z.enum(['conversational', 'reasoning', 'deterministic']);
export type StrategyName = z.infer<typeof StrategyName>;

/** What a step or routine may declare: a strategy, or `auto` to let the rule choose. */
export const StrategyChoice = z.enum([...StrategyName.options, 'auto']);
export type StrategyChoice = z.infer<typeof StrategyChoice>;

/** What selection looks at in a step. */
export const StrategyStep = z.object({
  strategy: StrategyChoice.optional(),
  prompt: z.string().optional().describe('an LLM prompt template'),
  tools: z.array(z.string()).default([]).describe('tools the step allows an LLM to call'),
  hasWork: z.boolean().default(false).describe('has deterministic work: a task type, tool or expression'),
  sensitive: z.boolean().default(false).describe('its data may never be sent to an LLM'),
});
export type StrategyStep = z.infer<typeof StrategyStep>;
export type StrategyStepInput = z.input<typeof StrategyStep>;

/** The strategy that runs and why, for the step record; `blocked` when none may run, with the reason. */
export type StrategyDecision = { strategy: StrategyName | 'blocked'; reason: string };

const LLM_STRATEGIES: ReadonlySet<StrategyName> = new Set(['conversational', 'reasoning']);

/**
 * The step's declared strategy, else the routine's default, else the rule: no prompt →
 * deterministic; tools allowed → reasoning; otherwise conversational. Then the policy: a
 * sensitive step never goes to an LLM (it runs its deterministic work if it has some).
 */
export function selectStrategy(
  stepInput: StrategyStepInput,
  routineDefault?: StrategyChoice,
): StrategyDecision {
  const step = StrategyStep.parse(stepInput);
  const chosen = declared(step, routineDefault) ?? byRule(step);
  if (step.sensitive && LLM_STRATEGIES.has(chosen.strategy)) return sensitiveFallback(step, chosen.strategy);
  return feasible(step, chosen);
}

function declared(step: StrategyStep, routineDefault?: StrategyChoice) {
  if (step.strategy && step.strategy !== 'auto') {
    return { strategy: step.strategy, reason: `the step declares ${step.strategy}` };
  }
  if (routineDefault && routineDefault !== 'auto') {
    return { strategy: routineDefault, reason: `the routine's default strategy is ${routineDefault}` };
  }
  return undefined;
}

function byRule(step: StrategyStep): { strategy: StrategyName; reason: string } {
  if (!step.prompt) return { strategy: 'deterministic', reason: 'auto: the step has no prompt' };
  if (step.tools.length > 0)
    return { strategy: 'reasoning', reason: 'auto: the step has a prompt and allows tools' };
  return { strategy: 'conversational', reason: 'auto: the step has a prompt and allows no tools' };
}

function sensitiveFallback(step: StrategyStep, wanted: StrategyName): StrategyDecision {
  if (step.hasWork) {
    return {
      strategy: 'deterministic',
      reason: `policy: the step is sensitive, so not ${wanted} but its own work`,
    };
  }
  return {
    strategy: 'blocked',
    reason: `policy: the step is sensitive and may not be sent to an LLM (${wanted})`,
  };
}

function feasible(step: StrategyStep, chosen: { strategy: StrategyName; reason: string }): StrategyDecision {
  if (chosen.strategy === 'deterministic' && !step.hasWork) {
    return {
      strategy: 'blocked',
      reason: `${chosen.reason}, but deterministic needs a task type, tool or expression`,
    };
  }
  if (chosen.strategy !== 'deterministic' && !step.prompt) {
    return { strategy: 'blocked', reason: `${chosen.reason}, but ${chosen.strategy} needs a prompt` };
  }
  return chosen;
}
