import type { CycleOutcome } from '../../schema/cycle-outcome.ts';
import type { ImprovementCycleResult } from '../../schema/improvement-cycle.ts';
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
} from '../../schema/improvement-requests.ts';
import { type Proposal, ProposalFilter } from '../../schema/proposal.ts';
import { RoutineId } from '../../schema/routine.ts';
import { parseInput } from '../../schema/validation.ts';
import type { Activation } from '../../schema/version-activation.ts';
import { ImprovementCycleFailedError } from '../improvement-errors.ts';
import type { ApiTransport } from './api-transport.ts';
import type { ImprovementOperations } from './improvement-operations.ts';
import type { AwaitOptions } from './swarmflow-api.ts';

/** How often `result` reads a running cycle again. */
const pollIntervalMs = 1000;

/** Autonomous improvement over the REST API, as the direct SDK's `client.improvement`; the decider is the calling key. */
export class RemoteImprovement implements ImprovementOperations {
  constructor(private readonly transport: ApiTransport) {}

  async schedule(request: ScheduleImprovementInput): Promise<ImprovementSchedule> {
    const { routineId, ...body } = parseInput(ScheduleImprovementRequest, request, 'improvement schedule');
    return this.transport.call('scheduleImprovement', { params: { routineId }, body });
  }

  /** Deletes the routine's improvement schedule; returns whether there was one. */
  async unschedule(routineId: string): Promise<boolean> {
    const id = parseInput(RoutineId, routineId, 'routine id');
    return (await this.transport.call('unscheduleImprovement', { params: { routineId: id } })).deleted;
  }

  /**
   * Where a cycle is, with its result once it completed.
   * @throws UnknownProposalError when the tenant has no such cycle.
   */
  status(cycleId: string): Promise<ImprovementCycleStatus> {
    return this.transport.call('getImprovementCycle', { params: { cycleId } });
  }

  /**
   * Reads the cycle until it has ended, and returns its result (a pending proposal keeps it going).
   * @throws UnknownProposalError when the tenant has no such cycle.
   * @throws ImprovementCycleFailedError when it failed, or was cancelled or terminated.
   */
  async result(cycleId: string): Promise<ImprovementCycleResult> {
    const outcome = await this.awaitCycle(cycleId);
    if (outcome.status !== 'finished') throw new Error('unreachable: a cycle awaited to its end is finished');
    return outcome.result;
  }

  /**
   * Reads the cycle every `pollIntervalMs` (default 1 s) until it has ended or, with `untilParked`,
   * until it waits for a decision on its proposal or releases its candidate as a canary.
   * @throws UnknownProposalError when the tenant has no such cycle.
   * @throws ImprovementCycleFailedError when it failed, or was cancelled or terminated.
   */
  async awaitCycle(cycleId: string, options: AwaitOptions = {}): Promise<CycleOutcome> {
    for (;;) {
      const current = await this.status(cycleId);
      if (current.status === 'failed') {
        throw new ImprovementCycleFailedError(cycleId, current.error ?? 'the cycle failed');
      }
      if (current.status === 'completed' && current.result !== null) {
        return { status: 'finished', result: current.result };
      }
      if (options.untilParked && current.cycle !== null) {
        if (current.status === 'waiting' && 'pending' in current.cycle) {
          return { status: 'waiting', cycle: current.cycle };
        }
        if (current.status === 'canary' && 'canary' in current.cycle) {
          return { status: 'canary', cycle: current.cycle };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? pollIntervalMs));
    }
  }

  async start(request: RunImprovementInput): Promise<StartedCycle> {
    const {
      routineId,
      proposalTimeoutMs: _,
      ...body
    } = parseInput(RunImprovementRequest, request, 'improvement run');
    return this.transport.call('startImprovementCycle', { params: { routineId }, body });
  }

  async proposals(filter: ProposalFilter = {}): Promise<Proposal[]> {
    const query = parseInput(ProposalFilter, filter, 'proposal filter');
    return (await this.transport.call('listProposals', { query })).proposals;
  }

  approve(request: ProposalDecisionInput): Promise<Proposal> {
    return this.decide('approveProposal', request);
  }

  reject(request: ProposalDecisionInput): Promise<Proposal> {
    return this.decide('rejectProposal', request);
  }

  promote(routineId: string, version: number): Promise<Activation> {
    return this.transport.call('promoteVersion', { params: { routineId, version } });
  }

  rollback(routineId: string): Promise<Activation> {
    return this.transport.call('rollbackRoutine', { params: { routineId } });
  }

  private async decide(
    operation: 'approveProposal' | 'rejectProposal',
    request: ProposalDecisionInput,
  ): Promise<Proposal> {
    const { proposal, reason } = parseInput(ProposalDecisionRequest, request, 'proposal decision');
    return this.transport.call(operation, {
      params: { proposalId: proposal },
      body: reason === undefined ? {} : { reason },
    });
  }
}
