import { DeploymentConfig } from '../../schema/deployment-config.ts';
import { swarmToolsFor } from '../../workflows/swarm/tool-descriptors.ts';
import { createMcpActivities } from '../mcp/mcp-activities.ts';
import { McpPool } from '../mcp/mcp-pool.ts';
import { ModelRegistry } from '../models/model-registry.ts';
import { checkToolsFor, type ProviderTarget } from '../models/tool-schemas/index.ts';
import { ToolScreen, toolTargetsOf } from '../models/tool-screen.ts';
import { CircuitBreakers } from '../resilience/circuit-breakers.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { createLlmTurnActivity } from '../strategies/llm-turn-activity.ts';
import { MCP_TASK_PREFIX, mcpTaskTypes } from '../task-types/mcp.ts';
import type { TaskTypeRegistry } from '../task-types/registry.ts';

/** What a worker's LLM turns and tool calls use: the deployment's models, MCP servers, prices and policy. */
export interface Tier3Dependencies {
  deployment: DeploymentConfig;
  models: ModelRegistry;
  /** Shared by the models and the MCP servers of one worker. */
  breakers: CircuitBreakers;
  pool: McpPool;
}

/**
 * The dependencies a deployment config describes (absent: no models and no MCP servers). Tests
 * may bring their own model registry or breakers. The caller closes `pool` when the worker stops.
 */
export function createTier3Dependencies(
  deployment: DeploymentConfig = DeploymentConfig.parse({}),
  given: Partial<Pick<Tier3Dependencies, 'models' | 'breakers'>> = {},
): Tier3Dependencies {
  const breakers = given.breakers ?? new CircuitBreakers();
  const targets = toolTargetsOf(deployment);
  assertSwarmToolsExpressible(targets);
  const screen = new ToolScreen(targets);
  return {
    deployment,
    models: given.models ?? new ModelRegistry(deployment),
    breakers,
    pool: new McpPool(deployment.mcpServers, { breakers, screen: (tools) => screen.screen(tools) }),
  };
}

/** The swarm tools must reach every configured model's provider: a schema that cannot is a bug, found at start. */
function assertSwarmToolsExpressible(targets: ProviderTarget[]): void {
  const problems = targets.flatMap((target) =>
    checkToolsFor(target, swarmToolsFor('leader', { improvement: true })),
  );
  if (problems.length > 0) {
    throw new ConfigurationError(
      `swarm tools a configured model cannot take: ${problems.map((p) => p.message).join('; ')}`,
    );
  }
}

/** The `llmTurn`, `listMcpTools` and `callMcpTool` activities. */
export function createTier3Activities({ deployment, models, breakers, pool }: Tier3Dependencies) {
  const { prices, toolPolicy } = deployment;
  return {
    llmTurn: createLlmTurnActivity({ models, breakers, prices }),
    ...createMcpActivities({ pool, prices, policy: toolPolicy }),
  };
}

/** Adds the `mcp:<server>/<tool>` task types of the pool's servers to `registry`. */
export function withMcpTaskTypes(registry: TaskTypeRegistry, { pool, deployment }: Tier3Dependencies) {
  registry.registerPrefix(MCP_TASK_PREFIX, mcpTaskTypes(pool, { policy: deployment.toolPolicy }));
  return registry;
}
