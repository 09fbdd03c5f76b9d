import type { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';
import { applyBlackboardOps } from './blackboard.ts';
import type { BoardChange } from './subtask-board.ts';
import type { Swarm } from './swarm.ts';

/**
 * Applies an `update_swarm_shared_state` call (from an agent or, as an update, from outside)
 * whole or not at all: returns what changed, or throws an Error listing every problem.
 */
export function updateSharedState(swarm: Swarm, update: UpdateSharedStateInput, by: string): string {
  const { blackboard, problems } = check(swarm, update);
  if (problems.length > 0) throw new Error(problems.join('; '));
  swarm.board.apply(boardChange(update), boardRules(swarm));
  if (blackboard) swarm.blackboard = blackboard;
  if (update.goal) swarm.goal = update.goal;
  const summary = describe(update);
  swarm.note({ from: by, to: 'swarm', kind: 'event', text: `shared state: ${summary}` });
  return summary;
}

/** Throws with every problem if `update` cannot apply; changes nothing. */
export function checkSharedStateUpdate(swarm: Swarm, update: UpdateSharedStateInput): void {
  const { problems } = check(swarm, update);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

export function boardRules(swarm: Swarm) {
  return { maxSubtasks: swarm.limits.maxSubtasks, agentIds: swarm.team.map((agent) => agent.id) };
}

function check(swarm: Swarm, update: UpdateSharedStateInput) {
  const problems: string[] = [];
  if (swarm.ended) problems.push(`the swarm is ending; its shared state is closed`);
  const applied = update.blackboard ? applyBlackboardOps(swarm.blackboard, update.blackboard) : undefined;
  if (applied && 'problems' in applied) problems.push(...applied.problems);
  problems.push(...swarm.board.problemsWith(boardChange(update), boardRules(swarm)));
  return { problems, blackboard: applied && 'blackboard' in applied ? applied.blackboard : undefined };
}

function boardChange(update: UpdateSharedStateInput): BoardChange {
  return { set: update.subtasks?.set ?? [], delete: update.subtasks?.delete ?? [] };
}

function describe(update: UpdateSharedStateInput): string {
  const parts: string[] = [];
  if (update.goal) parts.push('goal set');
  const set = update.subtasks?.set ?? [];
  if (set.length > 0) parts.push(`subtasks set: ${set.map((subtask) => subtask.id).join(', ')}`);
  const deleted = update.subtasks?.delete ?? [];
  if (deleted.length > 0) parts.push(`subtasks deleted: ${deleted.join(', ')}`);
  if (update.blackboard) parts.push(`blackboard changed: ${Object.keys(update.blackboard).join(', ')}`);
  return parts.join('; ') || 'nothing changed';
}
