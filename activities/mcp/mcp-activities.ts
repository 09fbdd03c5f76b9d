import type { Prices } from '../../schema/deployment-config.ts';
import {
  type ToolCallOutcome,
  ToolCallRequest,
  type ToolCallRequestInput,
  type ToolCatalog,
  type ToolPolicy,
} from '../../schema/tools.ts';
import { parseInput } from '../../schema/validation.ts';
import { meter } from '../metering/price.ts';
import { type ActivityScope, currentActivityScope } from '../resilience/activity-scope.ts';
import { toActivityFailure } from '../resilience/classify.ts';
import { assertNotDenied } from './deployment-policy.ts';
import type { McpPool } from './mcp-pool.ts';

export interface McpActivityDependencies {
  pool: McpPool;
  prices: Prices;
  /** The deployment's tool policy. */
  policy: ToolPolicy;
}

/** The MCP activities: `listMcpTools` for the tool catalog, `callMcpTool` for one metered, idempotent call. */
export function createMcpActivities(dependencies: McpActivityDependencies) {
  return {
    async listMcpTools(): Promise<ToolCatalog> {
      return toolCatalog(dependencies);
    },
    async callMcpTool(request: ToolCallRequestInput): Promise<ToolCallOutcome> {
      return meteredToolCall(dependencies, request, currentActivityScope());
    },
  };
}

export async function toolCatalog({ pool, policy }: McpActivityDependencies): Promise<ToolCatalog> {
  try {
    return { tools: await pool.listAllTools(), policy };
  } catch (error) {
    throw toActivityFailure(error);
  }
}

/** `callMcpTool`'s work with its scope given, callable outside Temporal. */
export async function meteredToolCall(
  { pool, prices, policy }: McpActivityDependencies,
  input: ToolCallRequestInput,
  { signal, idempotencyKey }: ActivityScope,
): Promise<ToolCallOutcome> {
  try {
    const request = parseInput(ToolCallRequest, input, 'tool call request');
    assertNotDenied(policy, await pool.findTool(request.server, request.tool));
    const started = performance.now();
    const result = await pool.callTool(request.server, request.tool, request.args, {
      idempotencyKey: request.idempotencyKey ?? idempotencyKey,
      signal,
    });
    const wallMs = Math.round(performance.now() - started);
    return { ...result, usage: meter(prices, { inputTokens: 0, outputTokens: 0, toolCalls: 1, wallMs }) };
  } catch (error) {
    if (signal.aborted) throw error;
    throw toActivityFailure(error);
  }
}
