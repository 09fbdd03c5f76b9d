import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { AGENT_STOPPED, runAgentRound } from './agent-round.ts';
import { type LeaderPhase, leaderBriefing } from './briefing.ts';
import type { Swarm } from './swarm.ts';

/**
 * When and how the leader acts: it plans first, then reads new messages, handles failed
 * subtasks, and reviews once everything has ended. One round at a time, in the background of
 * the swarm's loop, so subtasks keep starting while it thinks.
 */
export class LeaderDriver {
  private readonly reportedFailures: Set<string>;
  private reviewed: string | undefined;
  private round: Promise<void> | undefined;
  /** The error that ended the last round and should fail the swarm, if any. */
  failure: unknown;

  constructor(private readonly swarm: Swarm) {
    this.reportedFailures = new Set(swarm.board.unsuccessful().map((subtask) => subtask.id));
  }

  get busy(): boolean {
    return this.round !== undefined;
  }

  /** Whether the leader has reviewed the board as it is now. */
  get upToDate(): boolean {
    return this.reviewed === this.boardKey();
  }

  /** What the leader should act on now, if anything; `quiet` when no subtask is running. */
  due(quiet: boolean): LeaderPhase | undefined {
    const { swarm } = this;
    if (this.busy || swarm.ended) return undefined;
    if (!swarm.planned) return 'planning';
    if (swarm.unread.length > 0) return 'messages';
    if (
      swarm.board.subtasks.some(
        (subtask) => subtask.status === 'failed' && !this.reportedFailures.has(subtask.id),
      )
    )
      return 'failures';
    if (quiet && swarm.board.allEnded() && !this.upToDate) return 'review';
    return undefined;
  }

  /**
   * Starts a round for `phase`; its failure (other than a stop) becomes `failure`, the swarm's.
   * A review is marked done at its start too, so the loop does not start another meanwhile.
   */
  start(phase: LeaderPhase): void {
    const { swarm } = this;
    const unread = swarm.unread;
    swarm.unread = [];
    for (const subtask of swarm.board.unsuccessful()) this.reportedFailures.add(subtask.id);
    if (phase === 'review') this.reviewed = this.boardKey();
    swarm.currentActivity = `${swarm.leader.id}: ${phase}`;
    this.round = swarm.work
      .run(() => runAgentRound(swarm, swarm.leader, 'leader', 'leader', leaderBriefing(swarm, phase, unread)))
      .then(
        () => undefined,
        (error) => this.endedBy(error),
      )
      .finally(() => {
        if (phase === 'planning') swarm.planned = true;
        if (phase === 'review') this.reviewed = this.boardKey();
        this.round = undefined;
        swarm.touch();
      });
  }

  private endedBy(error: unknown): void {
    if (isCancellation(error) && this.swarm.ending?.mode === 'force') return;
    if (error instanceof ApplicationFailure && error.type === AGENT_STOPPED) {
      this.swarm.note({ from: this.swarm.leader.id, to: 'swarm', kind: 'event', text: error.message });
      return;
    }
    this.failure = error;
  }

  private boardKey(): string {
    return this.swarm.board.subtasks.map((subtask) => `${subtask.id}:${subtask.status}`).join(',');
  }
}
