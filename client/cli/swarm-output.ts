import type { Subtask, SwarmOutcome, SwarmState } from '../../schema/swarm.ts';
import type { Usage } from '../../schema/usage.ts';
import { printTable } from './output.ts';

/** The one object `swarm start --json` prints. */
export function swarmOutcomeJson(outcome: SwarmOutcome) {
  return {
    swarmId: outcome.swarmId,
    status: outcome.status,
    result: outcome.result ?? null,
    subtasks: outcome.subtasks.map(({ id, description, status, assignee }) => ({
      id,
      description,
      status,
      assignee: assignee ?? null,
    })),
    usage: outcome.usage,
  };
}

/** A swarm's outcome for people: status, error, result, subtasks and usage. */
export function printSwarmOutcome(outcome: SwarmOutcome): void {
  write([
    `swarm ${outcome.swarmId}: ${outcome.status}`,
    ...(outcome.error ? [`error: ${outcome.error}`] : []),
  ]);
  write([`result: ${JSON.stringify(outcome.result ?? null, null, 2)}`]);
  printSubtasks(outcome.subtasks);
  write([`usage: ${describeUsage(outcome.usage)}`]);
}

/** A live swarm for people: where it stands, its subtasks, children and pending approvals. */
export function printSwarmState(state: SwarmState): void {
  write([
    `swarm ${state.swarmId}: ${state.status}${state.statusReason ? ` (${state.statusReason})` : ''}`,
    `goal: ${state.goal}`,
    `team: ${state.team.map((agent) => `${agent.id} (${agent.role})`).join(', ')}`,
    `now: ${state.currentActivity || '-'}`,
    `usage: ${describeUsage(state.usage)}`,
    ...(state.result === undefined ? [] : [`result: ${JSON.stringify(state.result)}`]),
  ]);
  printSubtasks(state.subtasks);
  if (state.children.length > 0) {
    write([
      'children:',
      ...state.children.map((child) => `  ${child.status.padEnd(10)} ${child.workflowId}`),
    ]);
  }
  for (const approval of state.pendingApprovals) {
    write([
      `awaiting approval: ${approval.callId} ${approval.server}/${approval.tool} ${JSON.stringify(approval.args)}`,
    ]);
  }
}

function printSubtasks(subtasks: Subtask[]): void {
  write(['subtasks:']);
  printTable(
    subtasks.map((subtask) => ({
      id: subtask.id,
      status: subtask.status,
      assignee: subtask.assignee ?? '',
      after: subtask.dependsOn.join(','),
      description: subtask.description,
    })),
  );
}

export function describeUsage(usage: Usage): string {
  return `${usage.inputTokens} tokens in, ${usage.outputTokens} out, ${usage.toolCalls} tool calls, ${usage.credits} credits`;
}

function write(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
