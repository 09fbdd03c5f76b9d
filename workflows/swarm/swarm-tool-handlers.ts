import type { z } from 'zod';
import { DEFAULT_CYCLE_BUDGET_CREDITS } from '../../schema/improvement-policy.ts';
import type { JsonValue } from '../../schema/json.ts';
import type {
  EndSwarmInput,
  ImproveRoutineInput,
  RunRoutineInput,
  SendMessageInput,
  SpawnSwarmInput,
  SWARM_TOOLS,
  SwarmToolName,
} from '../../schema/swarm-tools.ts';
import { globMatches } from '../../schema/tools.ts';
import { swarmCatalog } from './activities.ts';
import type { AgentTurnContext } from './agent-round.ts';
import { runRoutineChild } from './children.ts';
import { routinesUsed } from './improvement-subtask.ts';
import { boardRules, updateSharedState } from './shared-state.ts';
import type { BoardChange } from './subtask-board.ts';
import type { Swarm } from './swarm.ts';
import { remainingBudget } from './swarm-budget.ts';

/** A swarm tool call whose input passed its schema: the tool's name and its parsed input. */
export type SwarmToolCall = {
  [Name in SwarmToolName]: { name: Name; input: z.infer<(typeof SWARM_TOOLS)[Name]['input']> };
}[SwarmToolName];

/** Runs a validated swarm tool call for an agent; returns what it did, or throws an Error saying why not. */
export async function runSwarmTool(
  swarm: Swarm,
  context: AgentTurnContext,
  call: SwarmToolCall,
): Promise<string> {
  const by = context.agent.id;
  switch (call.name) {
    case 'update_swarm_shared_state':
      return updateSharedState(swarm, call.input, by);
    case 'run_routine':
      return runRoutine(swarm, context, call.input);
    case 'spawn_swarm':
      return spawnSwarm(swarm, context, call.input);
    case 'send_message':
      return sendMessage(swarm, by, call.input);
    case 'resource_manage':
      return JSON.stringify(
        await swarmCatalog.manageSwarmResource({
          tenantId: swarm.tenantId,
          agent: context.agent,
          input: call.input,
        }),
      );
    case 'knowledge_search':
      return JSON.stringify(
        await swarmCatalog.searchSwarmKnowledge({ tenantId: swarm.tenantId, input: call.input }),
      );
    case 'improve_routine':
      return improveRoutine(swarm, context, call.input);
    case 'end_swarm':
      swarm.requestEnd({ mode: call.input.mode, by, ...endDetails(call.input) });
      return `the swarm ends (${call.input.mode})`;
  }
}

async function runRoutine(swarm: Swarm, context: AgentTurnContext, input: RunRoutineInput): Promise<string> {
  const { agent } = context;
  if (!agent.routines.some((glob) => globMatches(glob, input.routineId))) {
    throw new Error(
      `${agent.id} may not run routine ${input.routineId}; it may run ${agent.routines.join(', ')}`,
    );
  }
  swarm.callCount += 1;
  if (input.mode === 'async') {
    const id = input.subtaskId ?? `${input.routineId}-${swarm.callCount}`;
    addSubtask(swarm, {
      id,
      description: `run routine ${input.routineId}`,
      routineId: input.routineId,
      input: input.input,
      assignee: agent.id,
    });
    return `subtask ${id} runs routine ${input.routineId}; its result comes with the subtasks`;
  }
  swarm.currentActivity = `${agent.id} runs routine ${input.routineId}`;
  const outputs = await runRoutineChild(swarm, {
    routineId: input.routineId,
    input: input.input,
    name: `${context.on}-call-${swarm.callCount}`,
  });
  return JSON.stringify(outputs);
}

function spawnSwarm(swarm: Swarm, context: AgentTurnContext, input: SpawnSwarmInput): string {
  if (swarm.limits.maxDepth < 1) {
    throw new Error(`the swarm's limit maxDepth is reached: sub-swarms may not spawn further sub-swarms`);
  }
  const left = remainingBudget(swarm.usage, swarm.reserved, swarm.limits);
  const budget = { ...left, ...input.budget };
  for (const limit of ['maxCredits', 'maxTokens', 'maxToolCalls'] as const) {
    const available = left[limit];
    const asked = budget[limit];
    if (available !== undefined && asked !== undefined && asked > available) {
      throw new Error(`budget.${limit}: ${asked} asked but only ${available} is left to reserve`);
    }
  }
  swarm.callCount += 1;
  const id = input.subtaskId ?? `swarm-${swarm.callCount}`;
  addSubtask(swarm, {
    id,
    description: input.goal,
    assignee: context.agent.id,
    subSwarm: { goal: input.goal, ...(input.team ? { team: input.team } : {}), budget },
  });
  return `subtask ${id} starts a sub-swarm with budget ${JSON.stringify(budget)}`;
}

/**
 * Adds a subtask that runs an improvement cycle on a routine the team used in this swarm, after the
 * subtasks still running it; its budget is reserved from the swarm's credits.
 */
function improveRoutine(swarm: Swarm, context: AgentTurnContext, input: ImproveRoutineInput): string {
  const { routineId } = input;
  const used = routinesUsed(swarm);
  if (!used.has(routineId)) {
    const which = used.size > 0 ? `it used ${[...used].sort().join(', ')}` : 'it has used none yet';
    throw new Error(
      `routineId: routine ${routineId} was not used by this swarm's team, and a swarm improves only routines it ran (${which}); run it first (run_routine or a routine subtask)`,
    );
  }
  const left = remainingBudget(swarm.usage, swarm.reserved, swarm.limits).maxCredits;
  const asked =
    input.budgetCredits ?? Math.min(DEFAULT_CYCLE_BUDGET_CREDITS, left ?? Number.POSITIVE_INFINITY);
  if (left !== undefined && asked > left) {
    throw new Error(`budgetCredits: ${asked} asked but only ${left} credits are left to reserve`);
  }
  if (asked <= 0) throw new Error(`budgetCredits: the swarm has no credits left for an improvement cycle`);
  swarm.callCount += 1;
  const id = input.subtaskId ?? `improve-${routineId}-${swarm.callCount}`;
  const dependsOn = swarm.board.subtasks
    .filter(
      (subtask) =>
        subtask.routineId === routineId && (subtask.status === 'todo' || subtask.status === 'in_progress'),
    )
    .map((subtask) => subtask.id);
  addSubtask(swarm, {
    id,
    description: `improve routine ${routineId}`,
    assignee: context.agent.id,
    dependsOn,
    improvement: {
      routineId,
      budgetCredits: asked,
      ...(input.optimizers === undefined ? {} : { optimizers: input.optimizers }),
    },
  });
  const after = dependsOn.length > 0 ? ` after ${dependsOn.join(', ')}` : '';
  return `subtask ${id} runs an improvement cycle of routine ${routineId}${after} with a budget of ${asked} credits; its result comes with the subtasks`;
}

function sendMessage(swarm: Swarm, from: string, input: SendMessageInput): string {
  const known = ['user', 'swarm', ...swarm.team.map((agent) => agent.id)];
  if (!known.includes(input.to)) throw new Error(`to: "${input.to}" is none of ${known.join(', ')}`);
  const entry = swarm.note({ from, to: input.to, kind: 'message', text: input.text });
  if (from !== swarm.leader.id && (input.to === 'swarm' || input.to === swarm.leader.id))
    swarm.unread.push(entry);
  return `message ${entry.seq} sent to ${input.to}`;
}

function addSubtask(
  swarm: Swarm,
  subtask: Omit<BoardChange['set'][number], 'dependsOn'> & { dependsOn?: string[] },
) {
  const problems = swarm.board.apply({ set: [{ dependsOn: [], ...subtask }], delete: [] }, boardRules(swarm));
  if (problems.length > 0) throw new Error(problems.join('; '));
  swarm.touch();
}

function endDetails(input: EndSwarmInput): { reason?: string; result?: JsonValue } {
  return {
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.result === undefined ? {} : { result: input.result }),
  };
}
