import type { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { MCP_TASK_PREFIX } from '../../../schema/graph.ts';
import { builtinTaskTypes } from '../../task-types/builtins.ts';

/** What a generated routine may use: task types a step can name, tool globs an LLM step may allow. */
export interface GenerationCapabilities {
  taskTypes: string[];
  tools: string[];
}

/**
 * The deployment's capabilities as a generation prompt names them: the built-in task types, each
 * configured MCP server's tools as a task type (`mcp:<server>/<tool>`) and as an LLM tool glob
 * (`<server>/*`). Without a deployment, the built-ins only.
 */
export function generationCapabilities(
  deployment?: Pick<DeploymentConfig, 'mcpServers'>,
): GenerationCapabilities {
  const servers = Object.keys(deployment?.mcpServers ?? {}).sort();
  return {
    taskTypes: [
      ...Object.keys(builtinTaskTypes).sort(),
      ...servers.map((server) => `${MCP_TASK_PREFIX}${server}/<tool>`),
    ],
    tools: servers.map((server) => `${server}/*`),
  };
}
