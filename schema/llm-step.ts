import { z } from 'zod';
import { StructuredOutputMethod } from './models.ts';
import { StrategyName } from './strategy.ts';
import { Usage } from './usage.ts';

/** One LLM step of a run as its state shows it: which strategy ran and why, how far it got, what it used. */
export const LlmStepRecord = z.object({
  stepKey: z.string(),
  elementId: z.string(),
  strategy: z.union([StrategyName, z.literal('blocked')]),
  reason: z.string().describe('why this strategy (see selectStrategy)'),
  model: z
    .string()
    .optional()
    .describe('the configured model that answered last (a fallback, when one took over)'),
  structuredOutput: StructuredOutputMethod.optional().describe('how the output schema was asked for'),
  inputHash: z
    .string()
    .optional()
    .describe(
      'the fingerprint of the messages the model was first sent (schema/fingerprint.ts): equal inputs, equal hashes',
    ),
  status: z.enum(['running', 'completed', 'failed']),
  turns: z.number().int().min(0),
  toolCalls: z.number().int().min(0),
  usage: Usage,
  error: z.string().optional(),
});
export type LlmStepRecord = z.infer<typeof LlmStepRecord>;
