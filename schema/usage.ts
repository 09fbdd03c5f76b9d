import { z } from 'zod';

const Amount = z.number().nonnegative();

/**
 * What a call, a step or a run consumed: tokens in and out, tool calls, wall time a worker
 * spent on it, and the credits all that cost. Pure data and helpers: workflows sum it.
 */
export const Usage = z.object({
  inputTokens: Amount.default(0),
  outputTokens: Amount.default(0),
  toolCalls: Amount.default(0),
  wallMs: Amount.default(0),
  credits: Amount.default(0),
});
export type Usage = z.infer<typeof Usage>;

export const NO_USAGE: Readonly<Usage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  toolCalls: 0,
  wallMs: 0,
  credits: 0,
});

/** The usage of two things together. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    toolCalls: a.toolCalls + b.toolCalls,
    wallMs: a.wallMs + b.wallMs,
    credits: roundCredits(a.credits + b.credits),
  };
}

/** The usage of all of them together; no usage for none. */
export function sumUsage(usages: Iterable<Usage>): Usage {
  let total: Usage = { ...NO_USAGE };
  for (const usage of usages) total = addUsage(total, usage);
  return total;
}

/** Credits kept to a millionth, so sums of prices such as 0.1 + 0.2 stay exact enough to compare with limits. */
export function roundCredits(credits: number): number {
  return Math.round(credits * 1e6) / 1e6;
}
