import type { Subtask, SwarmOutcome, SwarmState } from '../../schema/swarm.ts';
import type { Usage } from '../../schema/usage.ts';
import { type ReportContext, subtaskError, swarmOutcomeError } from '../outcome-errors.ts';
import { printTable } from './output.ts';

/**
 * The one object `swarm start --json` prints. A swarm that did not complete carries `error`
 * (typed, see OutcomeError), and so does each subtask that did not finish; a swarm waiting on a
 * parked child run or a limit has the status `incident` or `paused`.
 */
export function swarmOutcomeJson(outcome: SwarmOutcome, context: ReportContext = {}) {
  const error = swarmOutcomeError(outcome, context);
  const parked = outcome.parkedOn;
  return {
    swarmId: outcome.swarmId,
    status: parked ? (parked.kind === 'incident' ? 'incident' : 'paused') : outcome.status,
    result: outcome.result ?? null,
    subtasks: outcome.subtasks.map((subtask) => {
      const subtaskFailure = subtaskError(subtask);
      return {
        id: subtask.id,
        description: subtask.description,
        status: subtask.status,
        assignee: subtask.assignee ?? null,
        ...(subtaskFailure === undefined ? {} : { error: subtaskFailure }),
      };
    }),
    usage: outcome.usage,
    ...(error === undefined ? {} : { error }),
  };
}

/** A swarm's outcome for people: status, error, result, subtasks and usage. */
export function printSwarmOutcome(outcome: SwarmOutcome, context: ReportContext = {}): void {
  const error = swarmOutcomeError(outcome, context);
  const status = outcome.parkedOn ? `${outcome.status}, waiting for a person` : outcome.status;
  write([
    `swarm ${outcome.swarmId}: ${status}`,
    ...(error ? [`error (${error.type}): ${error.message}`] : []),
    ...(error?.hint ? [`  ${error.hint}`] : []),
  ]);
  write([`result: ${JSON.stringify(outcome.result ?? null, null, 2)}`]);
  printSubtasks(outcome.subtasks);
  for (const subtask of outcome.subtasks) {
    const failure = subtaskError(subtask);
    if (failure) write([`  ${subtask.id} ${subtask.status} (${failure.type}): ${failure.message}`]);
  }
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
