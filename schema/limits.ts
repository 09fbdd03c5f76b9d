import { z } from 'zod';

/** Limits a routine sets on each of its runs. Defaults apply where a field is absent. */
export const RunLimits = z.object({
  maxSteps: z.number().int().positive().default(1000).describe('steps a run may execute before it fails'),
  stepTimeoutMs: z.number().int().positive().default(60_000).describe('time one attempt of a step may take'),
  stepRetries: z.number().int().min(0).default(3).describe('retries of a failing step before the run fails'),
  historyEventsBeforeContinueAsNew: z
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe('a long run continues as new once its history is this long and one token is between elements'),
  approvalTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(600_000)
    .describe('how long a tool call waits for a person to approve it before it counts as rejected'),
  maxCredits: z.number().nonnegative().optional().describe('credits the run may spend (see the price table)'),
  maxTokens: z.number().int().nonnegative().optional().describe('LLM tokens, in and out, the run may use'),
  maxToolCalls: z.number().int().nonnegative().optional().describe('tool calls the run may make'),
  maxDurationMs: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('wall time the LLM turns and tool calls of the run may take together'),
  onLimit: z
    .enum(['pause', 'fail'])
    .default('pause')
    .describe('on reaching a budget: pause until the limits are raised, or fail the run'),
});
export type RunLimits = z.infer<typeof RunLimits>;
export type RunLimitsInput = z.input<typeof RunLimits>;
