import { CancellationScope, condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { Agent } from '../../schema/agent.ts';
import type { CycleWaiting } from '../../schema/cycle-waiting.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type {
  SwarmCarry,
  SwarmChild,
  SwarmLimits,
  SwarmRecord,
  SwarmState,
  SwarmStatus,
  SwarmWorkflowInput,
  TranscriptEntry,
} from '../../schema/swarm.ts';
import { addUsage, NO_USAGE, sumUsage, type Usage } from '../../schema/usage.ts';
import { Approvals } from '../runtime/approvals.ts';
import { swarmBookkeeping } from './activities.ts';
import { SubtaskBoard } from './subtask-board.ts';
import { reservationUsage, type SwarmCall, swarmLimitReached } from './swarm-budget.ts';

const RECENT_TRANSCRIPT = 50;

/** A request to end the swarm: by the leader (`end_swarm`), a person (`stop`), or a limit. */
export interface EndRequest {
  mode: 'graceful' | 'force';
  by: string;
  reason?: string;
  result?: JsonValue;
}

/**
 * A swarm's state in its workflow: goal, team, subtasks, blackboard, transcript, children,
 * usage and limits, and the status people see. Every change wakes the swarm's loop and marks
 * the read model stale.
 */
export class Swarm {
  readonly swarmId: string;
  readonly tenantId: string;
  readonly limits: SwarmLimits;
  readonly approvals = new Approvals();
  /** Where subtasks and leader rounds run: a force stop cancels it, and every child with it. */
  readonly work = new CancellationScope();
  /** Improvement cycles (child workflows) whose proposal waits for a person, by cycle id. */
  readonly waitingCycles = new Map<string, CycleWaiting>();
  goal: string;
  team: Agent[];
  status: SwarmStatus;
  statusReason: string | undefined;
  readonly board: SubtaskBoard;
  blackboard: Variables;
  transcript: TranscriptEntry[];
  transcriptSeq: number;
  unread: TranscriptEntry[];
  children: SwarmChild[];
  usage: Usage;
  planned: boolean;
  readonly startedAtMs: number;
  callCount: number;
  currentActivity = 'starting';
  result: JsonValue | undefined;
  ending: EndRequest | undefined;
  /** The status a pause interrupted, restored by resume. */
  private beforePause: SwarmStatus = 'running';
  private pausedOnLimit: SwarmCall | undefined;
  private unrecorded: TranscriptEntry[] = [];
  private changed = true;
  private stale = true;

  constructor(readonly input: SwarmWorkflowInput) {
    const carry = input.carry;
    this.swarmId = input.swarmId;
    this.tenantId = input.tenantId;
    this.limits = { ...input.limits };
    this.goal = input.goal;
    this.team = carry?.team ?? input.team ?? [];
    this.status = carry?.status ?? 'planning';
    this.statusReason = carry?.statusReason;
    this.board = new SubtaskBoard(carry?.subtasks ?? []);
    this.blackboard = carry?.blackboard ?? {};
    this.transcript = carry?.transcript ?? [];
    this.transcriptSeq = carry?.transcriptSeq ?? 0;
    this.unread = carry?.unread ?? [];
    this.children = carry?.children ?? [];
    this.usage = carry?.usage ?? { ...NO_USAGE };
    this.planned = carry?.planned ?? false;
    this.startedAtMs = carry?.startedAtMs ?? Date.now();
    this.callCount = carry?.callCount ?? 0;
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  get leader(): Agent {
    return this.team.find((agent) => agent.role === 'leader') ?? (this.team[0] as Agent);
  }

  /** Marks a change: the loop wakes and the read model is written at its next pass. */
  touch(): void {
    this.changed = true;
    this.stale = true;
  }

  /** Waits until something changed since the last call, or `timeoutMs` passed. */
  async nextChange(timeoutMs?: number): Promise<void> {
    if (timeoutMs === undefined) await condition(() => this.changed);
    else await condition(() => this.changed, timeoutMs);
    this.changed = false;
  }

  setStatus(status: SwarmStatus, reason?: string): void {
    if (this.status === status && this.statusReason === reason) return;
    this.status = status;
    this.statusReason = reason;
    upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
    this.touch();
  }

  /** Adds a transcript entry: kept in the recent window and written to PostgreSQL at the next record. */
  note(entry: Omit<TranscriptEntry, 'seq' | 'at'>): TranscriptEntry {
    const recorded = { ...entry, seq: this.transcriptSeq++, at: new Date(Date.now()).toISOString() };
    this.transcript = [...this.transcript, recorded].slice(-RECENT_TRANSCRIPT);
    this.unrecorded.push(recorded);
    this.touch();
    return recorded;
  }

  charge(usage: Usage): void {
    this.usage = addUsage(this.usage, usage);
    this.touch();
  }

  /**
   * The budgets reserved for sub-swarms and improvement cycles not yet ended: spent, as far as this
   * swarm's limits go.
   */
  get reserved(): Usage {
    return sumUsage(
      this.board.subtasks
        .filter(
          (subtask) =>
            (subtask.subSwarm || subtask.improvement) &&
            (subtask.status === 'todo' || subtask.status === 'in_progress'),
        )
        .map((subtask) =>
          reservationUsage(
            subtask.improvement
              ? { maxCredits: subtask.improvement.budgetCredits }
              : (subtask.subSwarm?.budget ?? {}),
          ),
        ),
    );
  }

  /** Records a child run or sub-swarm, or its new status. */
  trackChild(child: SwarmChild): void {
    const index = this.children.findIndex((known) => known.workflowId === child.workflowId);
    if (index >= 0) this.children[index] = child;
    else this.children.push(child);
    this.touch();
  }

  /** The limit that stops `call` now, described, or undefined. */
  limitFor(call: SwarmCall): string | undefined {
    const elapsedMs = Date.now() - this.startedAtMs;
    return swarmLimitReached({ usage: this.usage, reserved: this.reserved, elapsedMs }, this.limits, call);
  }

  /**
   * Returns once `call` may go ahead: not while the swarm is paused; a limit reached pauses the
   * swarm (onLimit "pause") until resumed, or ends it gracefully (onLimit "stop"). Returns why
   * the caller must give up instead: a limit, or the swarm ending (a graceful end lets workers
   * finish their subtasks, not the leader start anything).
   */
  async mayProceed(call: SwarmCall, role: 'leader' | 'worker'): Promise<string | undefined> {
    for (;;) {
      if (this.ending && (role === 'leader' || this.ending.mode === 'force')) {
        return `the swarm is ending (${this.ending.reason ?? this.ending.mode})`;
      }
      if (this.status === 'paused') {
        await condition(() => this.status !== 'paused' || this.ended);
        continue;
      }
      const reached = this.limitFor(call);
      if (!reached) return undefined;
      if (this.limits.onLimit === 'stop') {
        this.requestEnd({ mode: 'graceful', by: 'limits', reason: reached });
        return reached;
      }
      this.pause(reached, call);
    }
  }

  pause(reason: string, onLimit?: SwarmCall): SwarmStatus {
    if (this.status !== 'paused') this.beforePause = this.status;
    this.pausedOnLimit = onLimit;
    this.setStatus('paused', reason);
    return this.status;
  }

  /** Throws (rejecting the update) unless the swarm is paused and, if a limit paused it, the new limits clear it. */
  checkResume(limits: Partial<SwarmLimits> = {}): void {
    if (this.status !== 'paused') throw new Error(`the swarm is ${this.status}, not paused`);
    if (this.pausedOnLimit === undefined) return;
    const elapsedMs = Date.now() - this.startedAtMs;
    const still = swarmLimitReached(
      { usage: this.usage, reserved: this.reserved, elapsedMs },
      { ...this.limits, ...limits },
      this.pausedOnLimit,
    );
    if (still) throw new Error(`the new limits do not let the swarm go on: ${still}`);
  }

  resume(limits: Partial<SwarmLimits> = {}): SwarmStatus {
    this.checkResume(limits);
    Object.assign(this.limits, limits);
    this.pausedOnLimit = undefined;
    this.setStatus(this.beforePause);
    return this.status;
  }

  /** Ends the swarm: graceful lets running subtasks finish; force cancels them and their children now. */
  requestEnd(request: EndRequest): void {
    if (this.ending?.mode === 'force') return;
    this.ending = { ...this.ending, ...request };
    const why = request.reason ? `: ${request.reason}` : '';
    this.note({
      from: request.by,
      to: 'swarm',
      kind: 'event',
      text: `end requested (${request.mode})${why}`,
    });
    if (this.board.running().length > 0) this.setStatus('stopping', request.reason);
    if (request.mode === 'force') this.work.cancel();
  }

  /** Pauses or ends the swarm when a limit is reached; returns whether `call` may go ahead. */
  enforceLimits(call: SwarmCall): boolean {
    const reached = this.limitFor(call);
    if (!reached) return true;
    if (this.limits.onLimit === 'stop') this.requestEnd({ mode: 'graceful', by: 'limits', reason: reached });
    else if (this.status !== 'paused') this.pause(reached, call);
    return false;
  }

  /** Writes the read model (swarm row, subtasks, new transcript entries) if anything changed. */
  async record(ended = false): Promise<void> {
    if (!this.stale && !ended) return;
    this.stale = false;
    const entries = this.unrecorded;
    this.unrecorded = [];
    await swarmBookkeeping.recordSwarm(this.recordOf(ended));
    if (entries.length > 0) {
      await swarmBookkeeping.appendSwarmTranscript({
        tenantId: this.tenantId,
        swarmId: this.swarmId,
        entries,
      });
    }
  }

  state(): SwarmState {
    return {
      swarmId: this.swarmId,
      tenantId: this.tenantId,
      status: this.status,
      ...(this.statusReason === undefined ? {} : { statusReason: this.statusReason }),
      ...(this.status === 'paused' && this.pausedOnLimit !== undefined ? { pausedOnLimit: true } : {}),
      goal: this.goal,
      team: this.team,
      subtasks: this.board.subtasks,
      blackboard: this.blackboard,
      transcript: this.transcript,
      children: this.children,
      usage: this.usage,
      limits: this.limits,
      lineage: this.input.lineage,
      pendingApprovals: this.approvals.list(),
      currentActivity: this.currentActivity,
      ...(this.result === undefined ? {} : { result: this.result }),
    };
  }

  carry(): SwarmCarry {
    return {
      status: this.status,
      ...(this.statusReason === undefined ? {} : { statusReason: this.statusReason }),
      subtasks: this.board.subtasks,
      blackboard: this.blackboard,
      transcript: this.transcript,
      transcriptSeq: this.transcriptSeq,
      children: this.children,
      usage: this.usage,
      team: this.team,
      planned: this.planned,
      startedAtMs: this.startedAtMs,
      callCount: this.callCount,
      unread: this.unread,
    };
  }

  private recordOf(ended: boolean): SwarmRecord {
    const { swarmId, tenantId, status, statusReason, goal, team, usage, limits, result } = this;
    return {
      swarmId,
      tenantId,
      status,
      ...(statusReason === undefined ? {} : { statusReason }),
      goal,
      team,
      subtasks: this.board.subtasks,
      usage,
      limits,
      lineage: this.input.lineage,
      ...(result === undefined ? {} : { result }),
      workflowId: `swarm/${swarmId}`,
      ended,
    };
  }
}
