import {
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
import { parseInput } from '../../schema/validation.ts';
import type { Activation } from '../../schema/version-activation.ts';
import type { ApiTransport } from './api-transport.ts';
import type { ImprovementOperations } from './improvement-operations.ts';

/** Autonomous improvement over the REST API, as the direct SDK's `client.improvement`; the decider is the calling key. */
export class RemoteImprovement implements ImprovementOperations {
  constructor(private readonly transport: ApiTransport) {}

  async schedule(request: ScheduleImprovementInput): Promise<ImprovementSchedule> {
    const { routineId, ...body } = parseInput(ScheduleImprovementRequest, request, 'improvement schedule');
    return this.transport.call('scheduleImprovement', { params: { routineId }, body });
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
