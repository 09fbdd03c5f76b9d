/**
 * The signal an improvement cycle's parent workflow gets when the cycle's proposal waits for a
 * person (sent by the cycle's recordProposal activity, so improvementWorkflow itself is unchanged).
 * A swarm that runs a cycle as a subtask ends the subtask with this parked state instead of
 * waiting days for the decision. Plain types: workflows import them.
 */
export const CYCLE_WAITING_SIGNAL = 'improvementCycleWaiting';

export interface CycleWaiting {
  /** The cycle's workflow id, `improve/<tenant>/<routine>/<cycle>`. */
  cycleId: string;
  proposalId: string;
  candidateVersion: number;
}
