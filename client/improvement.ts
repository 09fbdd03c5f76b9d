import { randomUUID } from 'node:crypto';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleHandle,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowFailedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { TemporalFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { cycleProposals, findProposal, listProposals } from '../activities/store/proposal-store.ts';
import { type Activation, RoutineStore } from '../activities/store/routine-store.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { CanaryCycle, CycleOutcome, ParkedCycle } from '../schema/cycle-outcome.ts';
import type { Database } from '../schema/db/tables.ts';
import type { ImprovementCycleInput, ImprovementCycleResult } from '../schema/improvement-cycle.ts';
import {
  type ImprovementCycleStatus,
  type ImprovementSchedule,
  type ProposalDecisionRequest as ProposalDecisionInput,
  ProposalDecisionRequest,
  type RunImprovementRequest as RunImprovementInput,
  RunImprovementRequest,
  type ScheduleImprovementRequest as ScheduleImprovementInput,
  ScheduleImprovementRequest,
  type StartedCycle,
} from '../schema/improvement-requests.ts';
import type { Proposal, ProposalFilter } from '../schema/proposal.ts';
import { RoutineId } from '../schema/routine.ts';
import { SearchAttributes } from '../schema/search-attributes.ts';
import { parseInput } from '../schema/validation.ts';
import { decideProposalUpdate, improvementStateQuery } from '../workflows/improvement/messages.ts';
import type { improvementWorkflow } from '../workflows/improvement-workflow.ts';
import {
  ImprovementCycleFailedError,
  NoImprovementScheduleError,
  ProposalNotDecidedError,
  UnknownProposalError,
} from './improvement-errors.ts';
import { canaryCycle, parkedCycle } from './parked-cycle.ts';
import { endOrParking } from './parking.ts';
import type { ImprovementOperations } from './remote/improvement-operations.ts';
import type { AwaitOptions } from './remote/swarmflow-api.ts';
import { TenantGuard } from './tenant-guard.ts';

export type { CanaryCycle, CycleOutcome, ParkedCycle };
export {
  ImprovementCycleFailedError,
  NoImprovementScheduleError,
  ProposalNotDecidedError,
  UnknownProposalError,
};

/** What went wrong at the bottom of a cycle's failure (an activity's refusal), not the wrappers around it. */
function rootMessage(error: WorkflowFailedError): string {
  let current: Error = error;
  while ((current === error || current instanceof TemporalFailure) && current.cause instanceof Error) {
    current = current.cause;
  }
  return current.message;
}

/** How long one look at a cycle's live state may take before the next look tries again. */
const stateQueryTimeoutMs = 3_000;

/** The id of a routine's improvement schedule, and the prefix of its cycles' workflow ids. */
export function improvementScheduleId(tenantId: string, routineId: string): string {
  return `improve/${tenantId}/${routineId}`;
}

/**
 * Autonomous improvement: schedule and run improvement cycles of a routine, decide their
 * proposals, and move a routine's active version (promote, roll back).
 */
export class ImprovementApi implements ImprovementOperations {
  constructor(
    private readonly temporal: Client,
    private readonly db: Kysely<Database>,
    private readonly config: Pick<SwarmflowConfig, 'tenantId' | 'taskQueue'>,
    private readonly guard: TenantGuard = new TenantGuard(undefined),
  ) {}

  private get tenantId(): string {
    return this.config.tenantId;
  }

  /**
   * Creates (or replaces) the routine's Temporal Schedule `improve/<tenant>/<routine>`: a cycle
   * every interval or on a cron expression; a cycle still going when the next is due is skipped.
   * @throws ValidationError for a request that does not fit ScheduleImprovementRequest.
   * @throws UnknownRoutineError when the tenant has no such routine.
   */
  async schedule(request: ScheduleImprovementInput): Promise<ImprovementSchedule> {
    const parsed = parseInput(ScheduleImprovementRequest, request, 'improvement schedule');
    const { routineId, every, cron, ...overrides } = parsed;
    await new RoutineStore(this.db).get(this.tenantId, routineId);
    const scheduleId = improvementScheduleId(this.tenantId, routineId);
    const input: ImprovementCycleInput = { tenantId: this.tenantId, routineId, ...overrides };
    const spec =
      every !== undefined
        ? { intervals: [{ every: every as `${number}d` }] }
        : { cronExpressions: [cron as string] };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: 'improvementWorkflow',
      workflowId: scheduleId,
      taskQueue: this.config.taskQueue,
      args: [input],
      typedSearchAttributes: this.searchAttributes(routineId),
    };
    try {
      await this.temporal.schedule.create({
        scheduleId,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await this.temporal.schedule.getHandle(scheduleId).update((previous) => ({
        ...previous,
        spec,
        action,
        policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
      }));
    }
    return { scheduleId, routineId, every: every ?? null, cron: cron ?? null };
  }

  /** Deletes the routine's improvement schedule; returns whether there was one. Cycles going on go on. */
  async unschedule(routineId: string): Promise<boolean> {
    const id = parseInput(RoutineId, routineId, 'routine id');
    try {
      await this.temporal.schedule.getHandle(improvementScheduleId(this.tenantId, id)).delete();
      return true;
    } catch (error) {
      if ((error as Error).name === 'ScheduleNotFoundError') return false;
      throw error;
    }
  }

  /**
   * Pauses the routine's improvement schedule (`temporal schedule toggle --pause` does the same):
   * it takes no action until unpaused; a cycle going on goes on.
   * @throws ValidationError for a bad routine id.
   * @throws NoImprovementScheduleError when the routine has no improvement schedule.
   */
  pauseSchedule(routineId: string, note = 'paused by swarmflow'): Promise<void> {
    return this.onSchedule(routineId, (handle) => handle.pause(note));
  }

  /** Unpauses the routine's improvement schedule (see pauseSchedule for what it throws). */
  unpauseSchedule(routineId: string, note = 'unpaused by swarmflow'): Promise<void> {
    return this.onSchedule(routineId, (handle) => handle.unpause(note));
  }

  /**
   * Starts the schedule's action now (`temporal schedule trigger`), with its overlap skip: while a
   * cycle of the schedule is still going, nothing starts. See pauseSchedule for what it throws.
   */
  triggerSchedule(routineId: string): Promise<void> {
    return this.onSchedule(routineId, (handle) => handle.trigger(ScheduleOverlapPolicy.SKIP));
  }

  /** Acts on the routine's schedule; a missing (or deleted) one is NoImprovementScheduleError. */
  private async onSchedule(routineId: string, act: (handle: ScheduleHandle) => Promise<void>): Promise<void> {
    const id = parseInput(RoutineId, routineId, 'routine id');
    try {
      await act(this.temporal.schedule.getHandle(improvementScheduleId(this.tenantId, id)));
    } catch (error) {
      // A deleted schedule answers gRPC NOT_FOUND ("workflow execution already completed").
      const notFound = error instanceof ScheduleNotFoundError || (error as { code?: unknown }).code === 5;
      if (notFound) throw new NoImprovementScheduleError(id);
      throw error;
    }
  }

  /**
   * Starts one cycle now, as `improve/<tenant>/<routine>/<cycle>`.
   * @throws ValidationError for a request that does not fit RunImprovementRequest.
   * @throws UnknownRoutineError when the tenant has no such routine.
   */
  async start(request: RunImprovementInput): Promise<StartedCycle> {
    const parsed = parseInput(RunImprovementRequest, request, 'improvement run');
    const { routineId, cycle, ...overrides } = parsed;
    await new RoutineStore(this.db).get(this.tenantId, routineId);
    const cycleId = `${improvementScheduleId(this.tenantId, routineId)}/${cycle ?? `c-${randomUUID().slice(0, 8)}`}`;
    const input: ImprovementCycleInput = { tenantId: this.tenantId, routineId, ...overrides };
    await this.temporal.workflow.start<typeof improvementWorkflow>('improvementWorkflow', {
      workflowId: cycleId,
      taskQueue: this.config.taskQueue,
      args: [input],
      typedSearchAttributes: this.searchAttributes(routineId),
    });
    return { cycleId, routineId };
  }

  /**
   * Waits for a cycle's end and returns what it did.
   * @throws UnknownProposalError when the tenant has no such cycle.
   * @throws ImprovementCycleFailedError when the cycle failed or was stopped.
   */
  async result(cycleId: string): Promise<ImprovementCycleResult> {
    const handle = this.temporal.workflow.getHandle<typeof improvementWorkflow>(cycleId);
    await this.guard.admit(handle, () => new UnknownProposalError(cycleId));
    try {
      return await handle.result();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownProposalError(cycleId);
      if (error instanceof WorkflowFailedError) {
        throw new ImprovementCycleFailedError(cycleId, rootMessage(error));
      }
      throw error;
    }
  }

  /**
   * Where a cycle is without waiting: running, completed (with its result) or failed (with why).
   * @throws UnknownProposalError when the tenant has no such cycle (or the id is no improvement cycle).
   */
  async status(cycleId: string): Promise<ImprovementCycleStatus> {
    const handle = this.temporal.workflow.getHandle<typeof improvementWorkflow>(cycleId);
    await this.guard.admit(handle, () => new UnknownProposalError(cycleId));
    try {
      const described = await handle.describe();
      if (described.type !== 'improvementWorkflow') throw new UnknownProposalError(cycleId);
      if (described.status.name === 'RUNNING') {
        const parked = await this.parkedOutcome(handle, cycleId).catch(() => undefined);
        if (parked === undefined)
          return { cycleId, status: 'running', result: null, cycle: null, error: null };
        return { cycleId, status: parked.status, result: null, cycle: parked.cycle, error: null };
      }
      return { cycleId, status: 'completed', result: await handle.result(), cycle: null, error: null };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownProposalError(cycleId);
      if (error instanceof WorkflowFailedError) {
        return { cycleId, status: 'failed', result: null, cycle: null, error: rootMessage(error) };
      }
      throw error;
    }
  }

  /**
   * Waits for a cycle: resolves with its result when it finishes, or, with `untilParked`, as soon
   * as it parks on a pending proposal that waits for a person (then with what it evaluated, the
   * proposal's id and its candidate version; decide it with approve or reject), or as soon as it
   * releases its chosen candidate as a canary (status `canary`: it decides on its own, later). Without
   * `untilParked` it waits through the proposal's decision, as `result` does. The cycle's state is
   * looked at every `pollIntervalMs` (default 1 s); a look no worker answers is tried again.
   * @throws UnknownProposalError when the tenant has no such cycle.
   * @throws ImprovementCycleFailedError when the cycle failed or was stopped.
   */
  async awaitCycle(cycleId: string, options: AwaitOptions = {}): Promise<CycleOutcome> {
    const handle = this.temporal.workflow.getHandle<typeof improvementWorkflow>(cycleId);
    await this.guard.admit(handle, () => new UnknownProposalError(cycleId));
    return endOrParking<CycleOutcome, Exclude<CycleOutcome, { status: 'finished' }>>(
      this.temporal,
      options,
      async () => ({ status: 'finished', result: await this.result(cycleId) }),
      () => this.parkedOutcome(handle, cycleId),
      async (outcome) => outcome,
    );
  }

  /** The cycle parked on its proposal or releasing its canary, as its state and proposals show; undefined otherwise. */
  private async parkedOutcome(
    handle: WorkflowHandle<typeof improvementWorkflow>,
    cycleId: string,
  ): Promise<Exclude<CycleOutcome, { status: 'finished' }> | undefined> {
    const deadline = Date.now() + stateQueryTimeoutMs;
    const state = await this.temporal.connection.withDeadline(deadline, () =>
      handle.query(improvementStateQuery),
    );
    if (state.phase !== 'waiting' && state.phase !== 'canary') return undefined;
    const proposals = await cycleProposals(this.db, this.tenantId, cycleId);
    const parked = parkedCycle(state, proposals);
    if (parked !== undefined) return { status: 'waiting', cycle: parked };
    const releasing = canaryCycle(state, proposals);
    return releasing === undefined ? undefined : { status: 'canary', cycle: releasing };
  }

  /** Starts a cycle and waits for its end (see start and result for what they throw). */
  async run(request: RunImprovementInput): Promise<ImprovementCycleResult> {
    const { cycleId } = await this.start(request);
    return this.result(cycleId);
  }

  /** The tenant's proposals, newest first. */
  proposals(filter: ProposalFilter = {}): Promise<Proposal[]> {
    return listProposals(this.db, this.tenantId, filter);
  }

  /**
   * Approves a cycle's pending proposal: its cycle promotes the candidate.
   * @throws UnknownProposalError when the tenant has no such proposal or cycle.
   * @throws ProposalNotDecidedError when the cycle refuses (nothing pending, decided, no approver role).
   */
  approve(request: ProposalDecisionInput): Promise<Proposal> {
    return this.decide(request, true);
  }

  /** Rejects a cycle's pending proposal: its candidate is retired (see approve for what it throws). */
  reject(request: ProposalDecisionInput): Promise<Proposal> {
    return this.decide(request, false);
  }

  /**
   * Makes a version the routine's active one; the one active before is retired.
   * @throws UnknownRoutineError / UnknownRoutineVersionError.
   */
  promote(routineId: string, version: number): Promise<Activation> {
    return new RoutineStore(this.db).promote(
      this.tenantId,
      parseInput(RoutineId, routineId, 'routine id'),
      version,
    );
  }

  /**
   * Makes the version active before the current one active again.
   * @throws UnknownRoutineError; NoPreviousVersionError when no other version was ever active.
   */
  rollback(routineId: string): Promise<Activation> {
    return new RoutineStore(this.db).rollback(this.tenantId, parseInput(RoutineId, routineId, 'routine id'));
  }

  private async decide(request: ProposalDecisionInput, approved: boolean): Promise<Proposal> {
    const parsed = parseInput(ProposalDecisionRequest, request, 'proposal decision');
    const found = await findProposal(this.db, this.tenantId, parsed.proposal);
    if (!found) throw new UnknownProposalError(parsed.proposal);
    if (found.decision !== 'pending') {
      throw new ProposalNotDecidedError(found.id, `it is already ${found.decision}`);
    }
    const handle = this.temporal.workflow.getHandle<typeof improvementWorkflow>(found.cycleId);
    const { reason, decidedBy, deciderRoles } = parsed;
    try {
      await untilDeciding(handle);
      await handle.executeUpdate(decideProposalUpdate, {
        args: [
          {
            approved,
            ...(reason === undefined ? {} : { reason }),
            ...(decidedBy === undefined ? {} : { decidedBy }),
            ...(deciderRoles === undefined ? {} : { deciderRoles }),
          },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownProposalError(parsed.proposal);
      if (error instanceof WorkflowUpdateFailedError) {
        throw new ProposalNotDecidedError(found.id, error.cause?.message ?? error.message);
      }
      throw error;
    }
    return found;
  }

  private searchAttributes(routineId: string) {
    return [
      { key: SearchAttributes.tenant, value: this.tenantId },
      { key: SearchAttributes.routineId, value: routineId },
    ];
  }
}

/** How long a decision waits for a cycle that recorded its proposal but is not yet waiting on it. */
const DECIDING_WAIT_MS = 30_000;

/**
 * The proposal's row is written a moment before its cycle waits on it (phase `deciding`); a
 * decision taken in that moment waits until the cycle listens, instead of being refused.
 */
async function untilDeciding(handle: WorkflowHandle<typeof improvementWorkflow>): Promise<void> {
  const deadline = Date.now() + DECIDING_WAIT_MS;
  while (Date.now() < deadline && (await handle.query(improvementStateQuery)).phase === 'deciding') {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
