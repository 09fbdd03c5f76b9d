import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ImprovementCycleState, ProposalVerdict } from '../../schema/improvement-cycle.ts';

/** A person approves or rejects the cycle's pending proposal; the validator refuses a cycle with none, or a decider without an approver role. */
export const decideProposalUpdate = defineUpdate<
  { proposalId: string; candidateVersion: number },
  [ProposalVerdict]
>('decideProposal');

/** What the cycle is doing, and the proposal it waits on. */
export const improvementStateQuery = defineQuery<ImprovementCycleState>('improvementState');
