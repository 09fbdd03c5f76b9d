import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerApprovalTools } from './approval-tools.ts';
import { registerFeedbackTools } from './feedback-tools.ts';
import type { McpAccess } from './guarded-tool.ts';
import { registerImprovementTools } from './improvement-tools.ts';
import { registerKnowledgeTools } from './knowledge-tools.ts';
import { registerRoutineTools } from './routine-tools.ts';
import { registerRunTools } from './run-tools.ts';
import { registerSwarmTools } from './swarm-tools.ts';

const INSTRUCTIONS = [
  'Swarmflow runs swarms of AI agents and business routines as durable Temporal workflows.',
  'Start a swarm on a goal with start_swarm and follow it with get_swarm_status; steer it with',
  'send_swarm_message, update_swarm_shared_state and stop_swarm. Find routines with find_routines',
  'and run one with run_routine. Tool calls waiting for a person show in list_approvals.',
  'Score a run with give_feedback; run_scores lists its scores.',
].join(' ');

/**
 * The Swarmflow MCP server's tools, each checking its one permission (mcpToolAccess) for the
 * caller `access` finds; connect it to one transport. Every tool is listed to every caller, each
 * description naming the permission it needs: a caller without it gets a tool error naming the
 * roles that grant it.
 */
export function createMcpServer(access: McpAccess): McpServer {
  const server = new McpServer(
    { name: 'swarmflow', version: '0.1.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerSwarmTools(server, access);
  registerRunTools(server, access);
  registerApprovalTools(server, access);
  registerRoutineTools(server, access);
  registerImprovementTools(server, access);
  registerFeedbackTools(server, access);
  registerKnowledgeTools(server, access);
  return server;
}
