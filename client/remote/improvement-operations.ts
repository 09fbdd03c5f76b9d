import type { CycleOutcome } from '../../schema/cycle-outcome.ts';
import type { ImprovementCycleResult } from '../../schema/improvement-cycle.ts';
import type {
  ImprovementCycleStatus,
  ImprovementSchedule,
  ProposalDecisionRequest,
  RunImprovementRequest,
  ScheduleImprovementRequest,
  StartedCycle,
} from '../../schema/improvement-requests.ts';
import type { Proposal, ProposalFilter } from '../../schema/proposal.ts';
import type { Activation } from '../../schema/version-activation.ts';
import type { AwaitOptions } from './swarmflow-api.ts';

/**
 * Autonomous improvement, as both SDKs offer it (client/improvement.ts directly, RemoteImprovement
 * over REST): schedule and start cycles, read and decide proposals, promote and roll back versions.
 */
export interface ImprovementOperations {
  /** @throws ValidationError; UnknownRoutineError. */
  schedule(request: ScheduleImprovementRequest): Promise<ImprovementSchedule>;
  /** Deletes the routine's improvement schedule; returns whether there was one. @throws ValidationError. */
  unschedule(routineId: string): Promise<boolean>;
  /** @throws ValidationError; UnknownRoutineError. */
  start(request: RunImprovementRequest): Promise<StartedCycle>;
  /** Where a cycle is, with its result once it completed. @throws UnknownProposalError for an unknown cycle. */
  status(cycleId: string): Promise<ImprovementCycleStatus>;
  /** Waits for a cycle's end. @throws UnknownProposalError; ImprovementCycleFailedError when it did not complete. */
  result(cycleId: string): Promise<ImprovementCycleResult>;
  /**
   * Waits for a cycle's end or, with `untilParked`, until it parks on a pending proposal (`waiting`)
   * or releases its candidate as a canary (`canary`), whichever comes first.
   * @throws UnknownProposalError; ImprovementCycleFailedError when it did not complete.
   */
  awaitCycle(cycleId: string, options?: AwaitOptions): Promise<CycleOutcome>;
  proposals(filter?: ProposalFilter): Promise<Proposal[]>;
  /** @throws UnknownProposalError; ProposalNotDecidedError (nothing pending, decided, no approver role). */
  approve(request: ProposalDecisionRequest): Promise<Proposal>;
  /** @throws UnknownProposalError; ProposalNotDecidedError. */
  reject(request: ProposalDecisionRequest): Promise<Proposal>;
  /** @throws UnknownRoutineError / UnknownRoutineVersionError. */
  promote(routineId: string, version: number): Promise<Activation>;
  /** @throws UnknownRoutineError; NoPreviousVersionError. */
  rollback(routineId: string): Promise<Activation>;
}
