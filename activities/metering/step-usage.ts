import type { Prices } from '../../schema/deployment-config.ts';
import { isMcpWork, type StepWork } from '../../schema/graph.ts';
import type { Usage } from '../../schema/usage.ts';
import { meter } from './price.ts';

/** What a deterministic step used: its wall time, and one tool call when it is an MCP task; priced. */
export function stepUsage(prices: Prices, work: StepWork, wallMs: number): Usage {
  return meter(prices, { inputTokens: 0, outputTokens: 0, toolCalls: isMcpWork(work) ? 1 : 0, wallMs });
}
