import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  StartSwarmRequest,
  StopSwarmRequest,
  SwarmId,
  SwarmMessageRequest,
  SwarmStatus,
} from '../../schema/swarm.ts';
import { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

const Target = { swarmId: SwarmId };

/** start_swarm, send_swarm_message, update_swarm_shared_state, stop_swarm, get_swarm_status. */
export function registerSwarmTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'start_swarm',
    {
      title: 'Start a swarm',
      description:
        'Start a swarm of agents on a goal: it plans subtasks, runs routines and ends with a result. ' +
        'Returns at once with the swarm id; follow it with get_swarm_status.',
      inputSchema: StartSwarmRequest.omit({ tenantId: true }),
      outputSchema: { swarmId: z.string(), workflowId: z.string() },
    },
    async ({ goal, ...options }, { client, checkQuota }) => {
      await checkQuota('swarm');
      return jsonResult(await client.swarms.start(goal, options));
    },
  );

  guardedTool(
    server,
    access,
    'send_swarm_message',
    {
      title: 'Message a swarm',
      description:
        'Send a message to a swarm\'s leader (to: "swarm") or one of its agents; the leader reads it next.',
      inputSchema: z.strictObject({ ...Target, ...SwarmMessageRequest.shape }),
      outputSchema: { seq: z.number() },
    },
    async ({ swarmId, ...message }, { client }) => jsonResult(await client.swarms.message(swarmId, message)),
  );

  guardedTool(
    server,
    access,
    'update_swarm_shared_state',
    {
      title: "Edit a swarm's shared state",
      description:
        "Change a swarm's goal, set or delete subtasks (with dependsOn, routineId, input) and edit its blackboard " +
        '(set, delete, append, increment, merge). Applied whole or not at all; returns the swarm state.',
      inputSchema: z.strictObject({ ...Target, ...UpdateSharedStateInput.shape }),
    },
    async ({ swarmId, ...update }, { client }) =>
      jsonResult(await client.swarms.updateSharedState(swarmId, update)),
  );

  guardedTool(
    server,
    access,
    'stop_swarm',
    {
      title: 'Stop a swarm',
      description:
        'Stop a swarm. graceful: running subtasks finish and nothing new starts; force: its child runs and sub-swarms are cancelled now.',
      inputSchema: z.strictObject({ ...Target, ...StopSwarmRequest.shape }),
      outputSchema: { swarmId: z.string(), status: SwarmStatus },
    },
    async ({ swarmId, ...request }, { client }) =>
      jsonResult({ swarmId, status: await client.swarms.stop(swarmId, request) }),
  );

  guardedTool(
    server,
    access,
    'get_swarm_status',
    {
      title: 'Get a swarm',
      description:
        "A swarm's live state: status, goal, team, subtasks with results, blackboard, recent transcript, child workflows, usage and pending approvals.",
      inputSchema: z.strictObject(Target),
      annotations: { readOnlyHint: true },
    },
    async ({ swarmId }, { client }) => jsonResult(await client.swarms.get(swarmId)),
  );
}
