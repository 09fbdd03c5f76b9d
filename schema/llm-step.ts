import { z } from 'zod';
import { StrategyName } from './strategy.ts';
import { Usage } from './usage.ts';

/** One LLM step of a run as its state shows it: which strategy ran and why, how far it got, what it used. */
export const LlmStepRecord = z.object({
  stepKey: z.string(),
  elementId: z.string(),
  strategy: z.union([StrategyName, z.literal('blocked')]),
  reason: z.string().describe('why this strategy (see selectStrategy)'),
  model: z.string().optional().describe('the configured model that answered last'),
  status: z.enum(['running', 'completed', 'failed']),
  turns: z.number().int().min(0),
  toolCalls: z.number().int().min(0),
  usage: Usage,
  error: z.string().optional(),
});
export type LlmStepRecord = z.infer<typeof LlmStepRecord>;
