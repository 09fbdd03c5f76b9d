import type { Agent } from '../../schema/agent.ts';
import type { Variables } from '../../schema/json.ts';
import type { ChatMessage } from '../../schema/models.ts';
import type { Subtask, TranscriptEntry } from '../../schema/swarm.ts';
import type { Swarm } from './swarm.ts';

/** Why the leader is asked to act: plan the goal, read new messages, handle failures, or review the results. */
export type LeaderPhase = 'planning' | 'messages' | 'failures' | 'review';

const LEADER_SYSTEM = [
  'You lead a swarm of agents towards a goal. You act only through the swarm tools:',
  'plan subtasks with dependencies (update_swarm_shared_state), run routines, spawn sub-swarms,',
  'message people and agents, and end the swarm with its result (end_swarm) when the goal is met.',
].join(' ');

/** The leader's conversation for one round: what the swarm is, where it stands, and why it is asked now. */
export function leaderBriefing(swarm: Swarm, phase: LeaderPhase, unread: TranscriptEntry[]): ChatMessage[] {
  const leader = swarm.leader;
  const lines = [
    `Phase: ${phase}`,
    `Goal: ${swarm.goal}`,
    `Team: ${swarm.team.map(describeAgent).join('; ')}`,
    `Subtasks: ${swarm.board.subtasks.length === 0 ? 'none yet' : ''}`,
    ...swarm.board.subtasks.map(describeSubtask),
    `Blackboard: ${JSON.stringify(swarm.blackboard)}`,
    ...(unread.length > 0
      ? ['New messages:', ...unread.map((entry) => `- from ${entry.from}: ${entry.text}`)]
      : []),
  ];
  return [
    { role: 'system', text: [LEADER_SYSTEM, leader.systemPrompt].filter(Boolean).join('\n\n') },
    { role: 'user', text: lines.join('\n') },
  ];
}

/** A worker's conversation for a free-form subtask: the subtask, the swarm's goal, its inputs and messages. */
export function workerBriefing(
  swarm: Swarm,
  agent: Agent,
  subtask: Subtask,
  inputs: Variables,
): ChatMessage[] {
  const messages = swarm.transcript.filter((entry) => entry.kind === 'message' && entry.to === agent.id);
  const lines = [
    `Subtask ${subtask.id}: ${subtask.description}`,
    `Swarm goal: ${swarm.goal}`,
    `Inputs: ${JSON.stringify(inputs)}`,
    ...(messages.length > 0
      ? ['Messages for you:', ...messages.map((entry) => `- from ${entry.from}: ${entry.text}`)]
      : []),
    'Answer with the result of the subtask.',
  ];
  const system = agent.systemPrompt ?? `You are ${agent.id}, a ${agent.role} in a swarm of agents.`;
  return [
    { role: 'system', text: system },
    { role: 'user', text: lines.join('\n') },
  ];
}

function describeAgent(agent: Agent): string {
  const skills = agent.skills.length > 0 ? `, skills ${agent.skills.join(', ')}` : '';
  return `${agent.id} (${agent.role}${skills})`;
}

function describeSubtask(subtask: Subtask): string {
  const what = subtask.routineId
    ? ` routine ${subtask.routineId}`
    : subtask.improvement
      ? ` improve routine ${subtask.improvement.routineId}`
      : subtask.subSwarm
        ? ' sub-swarm'
        : '';
  const after = subtask.dependsOn.length > 0 ? ` after ${subtask.dependsOn.join(', ')}` : '';
  const outcome =
    subtask.result !== undefined
      ? ` → ${JSON.stringify(subtask.result)}`
      : subtask.error
        ? ` → ${subtask.error}`
        : '';
  return `- ${subtask.id} [${subtask.status}]${what}${after}: ${subtask.description}${outcome}`;
}
