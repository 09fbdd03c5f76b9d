import { ApplicationFailure } from '@temporalio/activity';
import { MCP_TASK_PREFIX } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { type ToolPolicy, toolArguments, toolResultValue } from '../../schema/tools.ts';
import { assertNotDenied } from '../mcp/deployment-policy.ts';
import type { McpPool } from '../mcp/mcp-pool.ts';
import { currentActivityScope } from '../resilience/activity-scope.ts';
import { toActivityFailure } from '../resilience/classify.ts';
import type { TaskContext, TaskHandlerFactory } from './registry.ts';

export { MCP_TASK_PREFIX };

export interface McpTaskTypeOptions {
  /** The deployment's tool policy: a denied tool fails the task without calling it. */
  policy: ToolPolicy;
  /** The call's idempotency key; default: derived from the workflow and activity ids. */
  idempotencyKey?: () => string;
}

/**
 * Service tasks of type `mcp:<server>/<tool>`: the tool's arguments are the task's variables
 * named in its input schema (what the task's input mappings set), and its result, structured
 * content or else text, is the task's `result` variable. Register with
 * `registry.registerPrefix(MCP_TASK_PREFIX, mcpTaskTypes(pool, options))`.
 */
export function mcpTaskTypes(
  pool: McpPool,
  { policy, idempotencyKey = () => currentActivityScope().idempotencyKey }: McpTaskTypeOptions,
): TaskHandlerFactory {
  return (name) => {
    const [server, tool] = splitToolName(name);
    return async ({ variables, signal }: TaskContext): Promise<Variables> => {
      try {
        const descriptor = await pool.findTool(server, tool);
        assertNotDenied(policy, descriptor);
        const args = toolArguments(descriptor, variables);
        const result = await pool.callTool(server, tool, args, { idempotencyKey: idempotencyKey(), signal });
        if (result.isError) throw toolFailure(name, result.text);
        return { result: toolResultValue(result) };
      } catch (error) {
        if (signal.aborted) throw error;
        throw toActivityFailure(error);
      }
    };
  };
}

function splitToolName(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash > 0 && slash < name.length - 1) return [name.slice(0, slash), name.slice(slash + 1)];
  throw ApplicationFailure.create({
    type: 'UnknownTaskType',
    message: `task type "${MCP_TASK_PREFIX}${name}" must name a server and a tool: "${MCP_TASK_PREFIX}<server>/<tool>"`,
    nonRetryable: true,
  });
}

function toolFailure(name: string, text: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'McpToolError',
    message: `tool ${name} reported an error: ${text}`,
    nonRetryable: true,
  });
}
