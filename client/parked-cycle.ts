import type { CanaryCycle, ParkedCycle } from '../schema/cycle-outcome.ts';
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
  return { ...cycleSoFar(state, waiting, proposals), pending: state.pending };
}

/**
 * A cycle releasing its chosen candidate as a canary, as its state query and its recorded
 * proposals show it; undefined in any other phase.
 */
export function canaryCycle(state: ImprovementCycleState, proposals: Proposal[]): CanaryCycle | undefined {
  if (state.phase !== 'canary' || state.canary === undefined) return undefined;
  const { version } = state.canary;
  const released = proposals.find((proposal) => proposal.candidateVersion === version);
  if (released === undefined) return undefined;
  return { ...cycleSoFar(state, released, proposals), canary: state.canary };
}

/** What a parked or canary cycle shows in common: its baseline (as `proposal` measured it) and its candidates. */
function cycleSoFar(
  state: ImprovementCycleState,
  proposal: Proposal,
  proposals: Proposal[],
): Omit<ParkedCycle, 'pending'> {
  const { scores } = proposal;
  return {
    cycleId: state.cycleId,
    routineId: state.routineId,
    baseline: {
      version: proposal.baselineVersion,
      score: scores.baselineScore,
      costPerRun: scores.baselineCostPerRun,
      evalId: scores.baselineEvalId,
    },
    candidates: proposals.map(candidateOf),
    promoted: null,
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
