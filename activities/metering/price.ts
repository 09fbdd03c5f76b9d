import type { Prices } from '../../schema/deployment-config.ts';
import { roundCredits, type Usage } from '../../schema/usage.ts';

/** What a usage costs under the price table; `model` names the configured model that spent the tokens. */
export function creditsFor(prices: Prices, usage: Omit<Usage, 'credits'>, model?: string): number {
  const price = model === undefined ? undefined : prices.models[model];
  const tokens = price
    ? (usage.inputTokens * price.inputPer1k + usage.outputTokens * price.outputPer1k) / 1000
    : 0;
  return roundCredits(tokens + usage.toolCalls * prices.toolCall + (usage.wallMs / 1000) * prices.perSecond);
}

/** The usage with its credits filled in. */
export function meter(prices: Prices, usage: Omit<Usage, 'credits'>, model?: string): Usage {
  return { ...usage, credits: creditsFor(prices, usage, model) };
}
