import { randomUUID } from 'node:crypto';
import type { SwarmflowClient } from '../../../client/sdk.ts';
import type { DeploymentConfigInput } from '../../../schema/deployment-config.ts';
import type { ScriptTurnInput } from '../../../schema/models.ts';
import type { SwarmState } from '../../../schema/swarm.ts';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * A test stack with the sample routines and a worker with `deployment` (models, MCP servers,
 * policy), in a tenant of its own, so the agents other test files register stay out of its teams.
 */
export async function startSwarmStack(deployment: DeploymentConfigInput = {}): Promise<TestStack> {
  const stack = await startTestStack({ tenantId: `swarms-${randomUUID()}` });
  await registerSampleRoutines(stack.client);
  await stack.startWorker({ deployment });
  return stack;
}

/** Routines the swarms of these tests run: quick facts and figures, a report needing both, a slow step, a wait. */
/** The sample routines and a team that can take them: a leader, an analyst (collect-*) and a scribe (write-*). */
export async function registerSampleCatalog(client: SwarmflowClient): Promise<void> {
  await registerSampleRoutines(client);
  await client.agents.register({ id: 'chief', role: 'leader' });
  await client.agents.register({
    id: 'analyst',
    role: 'analyst',
    skills: ['figures'],
    routines: ['collect-*'],
  });
  await client.agents.register({ id: 'scribe', role: 'writer', routines: ['write-*'] });
}

export async function registerSampleRoutines(client: SwarmflowClient): Promise<void> {
  await client.registerRoutine({
    id: 'collect-facts',
    name: 'Collect facts',
    description: 'Collects the facts about a topic',
    outputSchema: { type: 'object', properties: { facts: { type: 'string' } } },
    body: {
      kind: 'sequence',
      steps: [{ id: 'facts', expression: '"facts about " + topic', resultVariable: 'facts' }],
    },
  });
  await client.registerRoutine({
    id: 'collect-figures',
    name: 'Collect figures',
    description: 'Collects the sales figures of a topic',
    outputSchema: { type: 'object', properties: { figures: { type: 'number' } } },
    body: { kind: 'sequence', steps: [{ id: 'figures', expression: '42', resultVariable: 'figures' }] },
  });
  await client.registerRoutine({
    id: 'write-report',
    name: 'Write report',
    description: 'Writes a report from facts and figures',
    inputSchema: { type: 'object', required: ['facts', 'figures'] },
    body: {
      kind: 'sequence',
      steps: [{ id: 'write', expression: 'facts + " and " + string(figures)', resultVariable: 'report' }],
    },
  });
  await client.registerRoutine({
    id: 'slow-step',
    name: 'Slow step',
    description: 'Waits a while',
    limits: { stepTimeoutMs: 30_000 },
    body: { kind: 'sequence', steps: [{ id: 'wait', type: 'sleep', headers: { ms: '1500' } }] },
  });
  await client.registerRoutine({
    id: 'await-review',
    name: 'Await review',
    description: 'Waits for a person to review',
    body: {
      kind: 'bpmn',
      xml: bpmnProcess(
        `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
         ${flows(['start', 'review'], ['review', 'end'])}`,
      ),
    },
  });
}

/** A scripted turn calling one swarm tool. */
export function callTool(match: string, tool: string, args: Record<string, unknown>): ScriptTurnInput {
  return { match, toolCalls: [{ name: `swarm__${tool}`, args: args as never }] };
}

/** A scripted leader as a deployment's model, for `startWorker({ deployment })`. */
export function leaderDeployment(turns: ScriptTurnInput[]) {
  return { models: { leader: { provider: 'scripted' as const, turns } }, defaultModel: 'leader' };
}

/** Polls a swarm's state until `accept` holds; fails naming `what` and the last state. */
export async function waitForSwarm(
  client: SwarmflowClient,
  swarmId: string,
  what: string,
  accept: (state: SwarmState) => boolean,
  timeoutMs = 30_000,
): Promise<SwarmState> {
  const deadline = Date.now() + timeoutMs;
  let last: SwarmState | undefined;
  for (;;) {
    try {
      last = await client.swarms.get(swarmId);
      if (accept(last)) return last;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(`swarm ${swarmId}: ${what} did not happen; last state: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const subtaskStatuses = (state: { subtasks: { id: string; status: string }[] }) =>
  Object.fromEntries(state.subtasks.map((subtask) => [subtask.id, subtask.status]));
