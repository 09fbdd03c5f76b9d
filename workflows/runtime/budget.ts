import { condition } from '@temporalio/workflow';
import {
  type BudgetedCall,
  describeLimit,
  type LimitReached,
  limitReached,
  type ResumeRunRequest,
} from '../../schema/budget.ts';
import type { RunLimits } from '../../schema/limits.ts';
import type { RunStatus } from '../../schema/run.ts';
import { addUsage, NO_USAGE, type Usage } from '../../schema/usage.ts';
import { RunLimitExceeded } from './errors.ts';

type SetStatus = (status: RunStatus, error?: string) => Promise<void>;

/**
 * What a run has used and may still use. Before each LLM turn and tool call the budget is
 * checked: within it the call goes ahead; past it the run fails (onLimit "fail") or pauses
 * (onLimit "pause") until the `resumeRun` update raises the limit.
 */
export class Budget {
  usage: Usage;
  /** The limit a paused run waits on. */
  pausedOn: LimitReached | undefined;
  private pausedCall: BudgetedCall = 'turn';
  private pausedCalls = 0;

  /** `limits` is the run's own limits object: resuming raises them in place, so they carry over. */
  constructor(
    private readonly limits: RunLimits,
    private readonly setStatus: SetStatus,
    usage: Usage = NO_USAGE,
  ) {
    this.usage = { ...usage };
  }

  charge(usage: Usage): void {
    this.usage = addUsage(this.usage, usage);
  }

  /** Returns once the budgets allow `call` by the element `elementId`. */
  async allow(call: BudgetedCall, elementId: string): Promise<void> {
    const reached = limitReached(this.usage, this.limits, call);
    if (!reached) return;
    if (this.limits.onLimit === 'fail') throw new RunLimitExceeded(`${elementId}: ${describeLimit(reached)}`);
    await this.pause(reached, call);
  }

  /** Throws (rejecting the update) unless the run is paused and the new limits let it go on. */
  checkResume(request: ResumeRunRequest): void {
    if (!this.pausedOn) throw new Error('the run is not paused on a budget');
    const still = limitReached(this.usage, { ...this.limits, ...request.limits }, this.pausedCall);
    if (still) throw new Error(`the new limits do not let the run go on: ${describeLimit(still)}`);
  }

  /** Sets the new limits; the paused calls go on. Returns the run's limits now. */
  resume(request: ResumeRunRequest): RunLimits {
    this.checkResume(request);
    Object.assign(this.limits, request.limits);
    return { ...this.limits };
  }

  private async pause(reached: LimitReached, call: BudgetedCall): Promise<void> {
    this.pausedOn = reached;
    this.pausedCall = call;
    this.pausedCalls += 1;
    if (this.pausedCalls === 1) await this.setStatus('paused', describeLimit(reached));
    await condition(() => limitReached(this.usage, this.limits, call) === undefined);
    this.pausedCalls -= 1;
    if (this.pausedCalls > 0) return;
    this.pausedOn = undefined;
    await this.setStatus('running');
  }
}
