import type { CycleCandidate, ImprovementCycleResult } from './improvement-cycle.ts';

/**
 * Where an improvement cycle stands for someone who waits on it: finished with its result, or
 * parked on a pending proposal that waits (for days, if need be) for a person's decision.
 * Plain types: the SDK builds them, the CLI, REST and MCP print them.
 */

/** The proposal a parked cycle waits on. */
export interface PendingProposal {
  proposalId: string;
  candidateVersion: number;
}

/**
 * A cycle parked on its pending proposal: what it evaluated and decided so far (the candidates it
 * recorded a proposal for: the pending one and those the rule rejected), nothing promoted yet.
 */
export interface ParkedCycle {
  cycleId: string;
  routineId: string;
  baseline: ImprovementCycleResult['baseline'];
  candidates: CycleCandidate[];
  promoted: null;
  pending: PendingProposal;
}

/**
 * A cycle releasing its promoted or approved candidate as a canary: it watches the candidate's live
 * runs (hours or days) and makes it active or rolls it back on its own; nobody needs to act.
 */
export interface CanaryCycle extends Omit<ParkedCycle, 'pending'> {
  canary: { version: number; percent: number; last: string };
}

export type CycleOutcome =
  | { status: 'finished'; result: ImprovementCycleResult }
  | { status: 'waiting'; cycle: ParkedCycle }
  | { status: 'canary'; cycle: CanaryCycle };
