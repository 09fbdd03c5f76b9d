import type { Permission } from '../../schema/identity.ts';

/** What the audit log and the permission check need to know of one MCP tool. */
export interface McpToolAccess {
  /** The one permission a call checks, as the REST operation doing the same checks it. */
  permission: Permission;
  /** Calls change something: every one is audited, not only refusals. */
  mutates: boolean;
  /** The audit entry's target kind. */
  target: 'swarm' | 'run' | 'approval' | 'routine' | 'knowledge';
}

/**
 * Every MCP tool and the one permission it checks: the only place that says who may call what
 * over MCP. A tool missing here cannot be registered (guardedTool takes only these names).
 */
export const mcpToolAccess = {
  start_swarm: { permission: 'swarms:start', mutates: true, target: 'swarm' },
  send_swarm_message: { permission: 'swarms:control', mutates: true, target: 'swarm' },
  update_swarm_shared_state: { permission: 'swarms:control', mutates: true, target: 'swarm' },
  stop_swarm: { permission: 'swarms:control', mutates: true, target: 'swarm' },
  get_swarm_status: { permission: 'swarms:read', mutates: false, target: 'swarm' },
  run_routine: { permission: 'runs:start', mutates: true, target: 'run' },
  get_run_status: { permission: 'runs:read', mutates: false, target: 'run' },
  list_approvals: { permission: 'runs:read', mutates: false, target: 'approval' },
  decide_approval: { permission: 'approvals:decide', mutates: true, target: 'approval' },
  find_routines: { permission: 'routines:read', mutates: false, target: 'routine' },
  give_feedback: { permission: 'runs:feedback', mutates: true, target: 'run' },
  run_scores: { permission: 'runs:read', mutates: false, target: 'run' },
  search_knowledge: { permission: 'routines:read', mutates: false, target: 'knowledge' },
  start_improvement_cycle: { permission: 'routines:write', mutates: true, target: 'routine' },
  schedule_improvement: { permission: 'routines:write', mutates: true, target: 'routine' },
  unschedule_improvement: { permission: 'routines:write', mutates: true, target: 'routine' },
  list_proposals: { permission: 'routines:read', mutates: false, target: 'routine' },
  decide_proposal: { permission: 'approvals:decide', mutates: true, target: 'approval' },
} as const satisfies Record<string, McpToolAccess>;

export type McpToolName = keyof typeof mcpToolAccess;

/** The tool names, in the table's order. */
export const mcpToolNames = Object.keys(mcpToolAccess) as McpToolName[];
