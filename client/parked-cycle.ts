import type { ParkedCycle } from '../schema/cycle-outcome.ts';
import type { CycleCandidate, ImprovementCycleState } from '../schema/improvement-cycle.ts';
import type { Proposal } from '../schema/proposal.ts';

/**
 * A cycle parked on its pending proposal, as its state query and its recorded proposals show it;
 * undefined while it is not parked, or before its pending proposal is readable. A candidate the
 * cycle skipped (it did not compile, or repeated a version) has no proposal and is not listed.
 */
export function parkedCycle(state: ImprovementCycleState, proposals: Proposal[]): ParkedCycle | undefined {
  if (state.phase !== 'waiting' || state.pending === null) return undefined;
  const { proposalId } = state.pending;
  const waiting = proposals.find((proposal) => proposal.id === proposalId);
  if (waiting === undefined) return undefined;
  const { scores } = waiting;
  return {
    cycleId: state.cycleId,
    routineId: state.routineId,
    baseline: {
      version: waiting.baselineVersion,
      score: scores.baselineScore,
      costPerRun: scores.baselineCostPerRun,
      evalId: scores.baselineEvalId,
    },
    candidates: proposals.map(candidateOf),
    promoted: null,
    pending: state.pending,
  };
}

function candidateOf(proposal: Proposal): CycleCandidate {
  return {
    version: proposal.candidateVersion,
    optimizer: proposal.optimizer,
    change: proposal.change,
    score: proposal.scores.candidateScore,
    costPerRun: proposal.scores.candidateCostPerRun,
    decision: proposal.decision,
    why: proposal.why,
    evalId: proposal.scores.candidateEvalId,
    proposalId: proposal.id,
  };
}
