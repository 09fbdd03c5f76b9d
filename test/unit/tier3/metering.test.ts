import { describe, expect, it } from 'vitest';
import { creditsFor, meter } from '../../../activities/metering/price.ts';
import { Prices } from '../../../schema/deployment-config.ts';
import { addUsage, NO_USAGE, sumUsage, Usage } from '../../../schema/usage.ts';

const prices = Prices.parse({
  models: { gpt: { inputPer1k: 0.15, outputPer1k: 0.6 }, local: {} },
  toolCall: 0.5,
  perSecond: 0.01,
});

describe('metering', () => {
  it('prices tokens per 1k by model, tool calls each, and wall time per second', () => {
    const usage = { inputTokens: 2000, outputTokens: 500, toolCalls: 0, wallMs: 1500 };
    expect(creditsFor(prices, usage, 'gpt')).toBeCloseTo(0.3 + 0.3 + 0.015, 9);
    expect(creditsFor(prices, { ...NO_USAGE, toolCalls: 3, wallMs: 200 })).toBeCloseTo(1.502, 9);
  });

  it('charges nothing per token for a model without a price', () => {
    expect(creditsFor(prices, { ...NO_USAGE, inputTokens: 1e6 }, 'local')).toBe(0);
    expect(creditsFor(prices, { ...NO_USAGE, inputTokens: 1e6 }, 'unpriced')).toBe(0);
  });

  it('fills in the credits of a usage record', () => {
    expect(meter(prices, { inputTokens: 1000, outputTokens: 0, toolCalls: 1, wallMs: 0 }, 'gpt')).toEqual({
      inputTokens: 1000,
      outputTokens: 0,
      toolCalls: 1,
      wallMs: 0,
      credits: 0.65,
    });
  });
});

describe('usage', () => {
  it('adds and sums field by field, credits kept to a millionth', () => {
    const a = Usage.parse({ inputTokens: 10, credits: 0.1 });
    const b = Usage.parse({ outputTokens: 5, toolCalls: 1, wallMs: 30, credits: 0.2 });
    expect(addUsage(a, b)).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      toolCalls: 1,
      wallMs: 30,
      credits: 0.3,
    });
    expect(sumUsage([a, b, a])).toEqual({
      inputTokens: 20,
      outputTokens: 5,
      toolCalls: 1,
      wallMs: 30,
      credits: 0.4,
    });
    expect(sumUsage([])).toEqual(NO_USAGE);
  });

  it('fills absent fields with zero and refuses negative ones', () => {
    expect(Usage.parse({})).toEqual(NO_USAGE);
    expect(Usage.safeParse({ credits: -1 }).success).toBe(false);
  });
});
