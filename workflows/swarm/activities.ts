import { proxyActivities } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../activities/index.ts';
import type { SwarmActivities } from '../../activities/swarms/contract.ts';

/** Read-model writes: short, retried until they succeed. */
export const swarmBookkeeping = proxyActivities<SwarmActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** Catalog lookups and planning: a few retries; their own refusals are non-retryable. */
export const swarmCatalog = proxyActivities<SwarmActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

/** LLM turns and MCP tool calls of the swarm's agents; each is recorded once in history. */
export const agentCalls = proxyActivities<
  Pick<SwarmflowActivities, 'llmTurn' | 'listMcpTools' | 'callMcpTool'>
>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 4 },
});
