import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ApprovalDecision, type PendingApproval } from '../../schema/approvals.ts';
import type { SwarmStatus } from '../../schema/swarm.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/** Where a parked tool call waits: in a run or in a swarm (one of its agents). */
const Holder = {
  kind: z.enum(['run', 'swarm']).describe('as list_approvals gives it'),
  id: z.string().min(1).describe('the run id or the swarm id, as list_approvals gives it'),
};

const LIVE_SWARM_STATUSES: SwarmStatus[] = ['planning', 'running', 'idle', 'paused', 'stopping'];

/** list_approvals and decide_approval, over runs and swarms alike. */
export function registerApprovalTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'list_approvals',
    {
      title: 'List pending approvals',
      description:
        'Tool calls of runs and swarms waiting for a person to approve or reject them, with their arguments, risk and deadline.',
      inputSchema: z
        .strictObject({
          kind: Holder.kind.optional().describe('only runs or only swarms'),
          id: Holder.id.optional().describe('only this run or swarm (with kind)'),
        })
        .refine((filter) => filter.id === undefined || filter.kind !== undefined, {
          message: 'give kind ("run" or "swarm") with id',
          path: ['kind'],
        }),
      annotations: { readOnlyHint: true },
    },
    async ({ kind, id }, { client }) => {
      const [runs, swarms] = await Promise.all([
        kind === 'swarm' ? [] : client.listApprovals(id === undefined ? {} : { runId: id }),
        kind === 'run' ? [] : swarmApprovals(client, id),
      ]);
      return jsonResult({
        approvals: [...runs.map((approval) => held('run', approval)), ...swarms.map((a) => held('swarm', a))],
      });
    },
  );

  guardedTool(
    server,
    access,
    'decide_approval',
    {
      title: 'Approve or reject a tool call',
      description:
        'Approve or reject a tool call a run or swarm waits on (kind, id and callId from list_approvals). A rejected call is refused to the model. ' +
        'The decision is recorded as made by the caller.',
      inputSchema: z.strictObject({ ...Holder, ...ApprovalDecision.omit({ decidedBy: true }).shape }),
    },
    async ({ kind, id, ...decision }, { client, identity }) => {
      const decided = { ...decision, decidedBy: identity.subject };
      return jsonResult(
        kind === 'run'
          ? await client.decideApproval(id, decided)
          : await client.swarms.decideApproval(id, decided),
      );
    },
  );
}

async function swarmApprovals(
  client: SwarmflowClient,
  swarmId: string | undefined,
): Promise<PendingApproval[]> {
  const swarmIds =
    swarmId !== undefined
      ? [swarmId]
      : (await client.swarms.list())
          .filter((summary) => LIVE_SWARM_STATUSES.includes(summary.status))
          .map((summary) => summary.swarmId);
  const states = await Promise.all(swarmIds.map((id) => client.swarms.get(id)));
  return states.flatMap((state) => state.pendingApprovals);
}

function held(kind: 'run' | 'swarm', approval: PendingApproval) {
  return { kind, id: approval.runId, ...approval };
}
