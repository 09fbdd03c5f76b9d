import { proxyActivities } from '@temporalio/workflow';
import type { createMcpActivities } from '../../../../activities/mcp/mcp-activities.ts';
import type { createLlmTurnActivity } from '../../../../activities/strategies/llm-turn-activity.ts';
import type { LlmTurnOutcome, LlmTurnRequestInput } from '../../../../schema/models.ts';
import type { ToolCallOutcome, ToolCallRequestInput } from '../../../../schema/tools.ts';

/** Workflows that only call the Tier 3 activities, so their failures reach Temporal as they are. */

type Activities = ReturnType<typeof createMcpActivities> & {
  llmTurn: ReturnType<typeof createLlmTurnActivity>;
};

/** A long first retry interval: a retry that comes sooner was asked for by the failure itself. */
const { callMcpTool, llmTurn } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 minute', maximumAttempts: 3 },
});

export async function toolCallsWorkflow(requests: ToolCallRequestInput[]): Promise<ToolCallOutcome[]> {
  const outcomes: ToolCallOutcome[] = [];
  for (const request of requests) outcomes.push(await callMcpTool(request));
  return outcomes;
}

export async function llmTurnWorkflow(request: LlmTurnRequestInput): Promise<LlmTurnOutcome> {
  return llmTurn(request);
}
