import type { RunState, RunStatus } from '../../schema/run.ts';
import type { SwarmState, SwarmStatus } from '../../schema/swarm.ts';

/**
 * What a watcher of a run or a swarm looks at in its states: what counts as a change worth
 * showing, whether the state shows the end, and whether it shows a wait for a person. Pure; both
 * SDKs' `watchRun` and `swarms.watch` use it through `watchStates`.
 */
export interface ProgressView<S> {
  /** Equal for two states exactly when nothing a watcher is shown differs between them. */
  key(state: S): string;
  /** The state shows the end: nothing will change any more. */
  ended(state: S): boolean;
  /** The state shows a wait that only a person ends (an incident, a budget reached). */
  parked(state: S): boolean;
}

const endedRunStatuses: ReadonlySet<RunStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
]);
const endedSwarmStatuses: ReadonlySet<SwarmStatus> = new Set(['completed', 'stopped', 'failed', 'cancelled']);

/** Whether a run with this status has ended (completed, failed, cancelled, terminated or timed out). */
export const runHasEnded = (status: RunStatus): boolean => endedRunStatuses.has(status);

/** Whether a swarm with this status has ended (completed, stopped, failed or cancelled). */
export const swarmHasEnded = (status: SwarmStatus): boolean => endedSwarmStatuses.has(status);

/**
 * A run's progress: its status and error, where its tokens are, the steps done and the trace's
 * length, its incident or the budget it paused on, the tool calls waiting for approval, its LLM
 * steps and its usage. Variables alone changing (without a step) is not progress.
 */
export const runProgress: ProgressView<RunState> = {
  key: (state) =>
    JSON.stringify([
      state.status,
      state.error ?? null,
      state.activeElements,
      state.stepsExecuted,
      state.trace.length,
      state.incident ?? null,
      state.pausedOn ?? null,
      state.pendingApprovals.map((approval) => approval.callId),
      state.llmSteps.length,
      state.usage,
    ]),
  ended: (state) => runHasEnded(state.status),
  parked: (state) => state.status === 'incident' || state.status === 'paused',
};

/**
 * A swarm's progress: its status and why, its goal, the subtasks' and children's statuses, the
 * latest transcript entry, the blackboard, the tool calls waiting for approval, what it is doing
 * now, its usage and whether it has a result.
 */
export const swarmProgress: ProgressView<SwarmState> = {
  key: (state) =>
    JSON.stringify([
      state.status,
      state.statusReason ?? null,
      state.pausedOnLimit ?? false,
      state.goal,
      state.subtasks.map((subtask) => [subtask.id, subtask.status]),
      state.children.map((child) => [child.id, child.status]),
      state.transcript.at(-1)?.seq ?? null,
      state.blackboard,
      state.pendingApprovals.map((approval) => approval.callId),
      state.currentActivity,
      state.usage,
      state.result !== undefined,
    ]),
  ended: (state) => swarmHasEnded(state.status),
  parked: (state) => state.status === 'paused' && state.pausedOnLimit === true,
};
