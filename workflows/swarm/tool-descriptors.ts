import { z } from 'zod';
import type { JsonSchema } from '../../schema/json.ts';
import { SWARM_TOOL_SERVER, SWARM_TOOLS, type SwarmToolName } from '../../schema/swarm-tools.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';

/** The tools only the leader may use; workers get the others. */
const LEADER_ONLY: ReadonlySet<SwarmToolName> = new Set([
  'end_swarm',
  'spawn_swarm',
  'resource_manage',
  'improve_routine',
]);

/** Tools offered only where their patch was passed (see agent-round.ts). */
const PATCHED: ReadonlySet<SwarmToolName> = new Set(['improve_routine']);

let descriptors: Record<SwarmToolName, McpToolDescriptor> | undefined;

/**
 * The tools' descriptors, made on first use (most workers never offer a tool) and then shared by
 * every workflow of the worker thread, as workflow modules are (workflows/preload.ts).
 */
function swarmToolDescriptors(): Record<SwarmToolName, McpToolDescriptor> {
  descriptors ??= describeSwarmTools();
  return descriptors;
}

function describeSwarmTools(): Record<SwarmToolName, McpToolDescriptor> {
  return Object.fromEntries(
    Object.entries(SWARM_TOOLS).map(([name, tool]) => [
      name,
      {
        server: SWARM_TOOL_SERVER,
        name,
        description: tool.description,
        inputSchema: z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
        risk: 'low',
      },
    ]),
  ) as Record<SwarmToolName, McpToolDescriptor>;
}

/**
 * The swarm tools an agent is offered, as the model sees them (`swarm__<tool>`); `improve_routine`
 * only to a leader of a swarm that passed its patch (`improvement`).
 */
export function swarmToolsFor(
  role: 'leader' | 'worker',
  options: { improvement?: boolean } = {},
): McpToolDescriptor[] {
  return Object.entries(swarmToolDescriptors())
    .filter(([name]) => role === 'leader' || !LEADER_ONLY.has(name as SwarmToolName))
    .filter(([name]) => options.improvement === true || !PATCHED.has(name as SwarmToolName))
    .map(([, descriptor]) => descriptor);
}

export function isSwarmTool(tool: McpToolDescriptor): tool is McpToolDescriptor & { name: SwarmToolName } {
  return tool.server === SWARM_TOOL_SERVER && tool.name in SWARM_TOOLS;
}
