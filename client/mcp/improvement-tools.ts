import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ScheduleImprovementRequest } from '../../schema/improvement-requests.ts';
import { OptimizerName } from '../../schema/optimizer-name.ts';
import { ProposalDecision } from '../../schema/proposal.ts';
import { RoutineId } from '../../schema/routine.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/**
 * start_improvement_cycle, schedule_improvement, unschedule_improvement, list_proposals and
 * decide_proposal: the improvement loop for outside agents.
 */
export function registerImprovementTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'start_improvement_cycle',
    {
      title: "Start a routine's improvement cycle",
      description:
        'Start one improvement cycle of a routine now: it proposes candidate versions, evaluates them against the active version ' +
        'on the same cases, and promotes one the eval shows better (if the routine allows) or leaves it as a pending proposal.',
      inputSchema: z.strictObject({
        routineId: RoutineId,
        autoPromote: z.boolean().optional(),
        budgetCredits: z.number().positive().optional(),
        optimizers: z.array(OptimizerName).min(1).optional(),
      }),
    },
    async (request, { client }) => jsonResult(await client.improvement.start(request)),
  );

  guardedTool(
    server,
    access,
    'schedule_improvement',
    {
      title: "Schedule a routine's improvement cycles",
      description:
        "Create (or replace) the routine's Temporal Schedule improve/<tenant>/<routine>: an improvement cycle every interval " +
        '(every, e.g. 1d) or on a cron expression (cron, e.g. "0 3 * * *"); give exactly one. A cycle still going when the ' +
        'next is due is skipped.',
      inputSchema: ScheduleImprovementRequest,
    },
    async (request, { client }) => jsonResult(await client.improvement.schedule(request)),
  );

  guardedTool(
    server,
    access,
    'unschedule_improvement',
    {
      title: "Delete a routine's improvement schedule",
      description:
        "Delete the routine's improvement schedule; cycles going on go on. Answers whether there was one.",
      inputSchema: z.strictObject({ routineId: RoutineId }),
      annotations: { idempotentHint: true },
    },
    async ({ routineId }, { client }) =>
      jsonResult({ routineId, deleted: await client.improvement.unschedule(routineId) }),
  );

  guardedTool(
    server,
    access,
    'list_proposals',
    {
      title: 'List improvement proposals',
      description:
        'Improvement proposals, newest first: the candidate version, what it changed, the eval numbers and the decision.',
      inputSchema: z.strictObject({ routineId: RoutineId.optional(), decision: ProposalDecision.optional() }),
      annotations: { readOnlyHint: true },
    },
    async (filter, { client }) => jsonResult({ proposals: await client.improvement.proposals(filter) }),
  );

  guardedTool(
    server,
    access,
    'decide_proposal',
    {
      title: 'Approve or reject an improvement proposal',
      description:
        'Approve (its cycle promotes the candidate version) or reject a pending proposal, by proposal id or cycle id. ' +
        'Recorded as decided by the caller, whose roles the cycle checks.',
      inputSchema: z.strictObject({
        proposal: z.string().min(1).describe('a proposal id or a cycle id, as list_proposals gives them'),
        approved: z.boolean(),
        reason: z.string().min(1).max(2000).optional(),
      }),
    },
    async ({ proposal, approved, reason }, { client, identity }) => {
      const request = {
        proposal,
        ...(reason === undefined ? {} : { reason }),
        decidedBy: identity.subject,
        deciderRoles: [...identity.roles],
      };
      const decided = approved
        ? await client.improvement.approve(request)
        : await client.improvement.reject(request);
      return jsonResult(decided);
    },
  );
}
