import type { CanaryHealth } from '../../schema/canary-judgement.ts';
import type { CandidateProposal, ImprovementEvidence, OptimizerName } from '../../schema/improvement.ts';
import type {
  CycleDataset,
  CyclePolicy,
  GatheredEvidence,
  ImprovementCycleInput,
  ProposedCandidates,
} from '../../schema/improvement-cycle.ts';
import type { ProposalDecision } from '../../schema/proposal.ts';
import type { NewProposal } from '../store/proposal-store.ts';
import type { Activation, Canary } from '../store/routine-store.ts';

/** The improvement loop's activities: what improvementWorkflow asks of the world. */
export interface ImprovementActivities {
  /** The active version, its recent runs, scores, feedback and insights, and the cycle's policy. */
  gatherEvidence(request: ImprovementCycleInput & { cycleId: string }): Promise<GatheredEvidence>;
  /**
   * The routine's cases, split train/validation with a fixed seed: its named dataset's latest
   * version, or a new version of `improve-<routine>` built from its recent completed runs.
   */
  refreshDataset(request: {
    tenantId: string;
    routineId: string;
    policy: CyclePolicy;
  }): Promise<CycleDataset>;
  /** Asks each named optimizer in turn, within the budget; unknown or failing optimizers become notes. */
  proposeCandidates(request: {
    evidence: ImprovementEvidence;
    optimizers: OptimizerName[];
    budgetCredits: number;
  }): Promise<ProposedCandidates>;
  /**
   * Registers a candidate as a `candidate` version with its lineage; `created` false when it repeats
   * a version, `refused` (why) when it does not compile.
   */
  registerCandidate(request: {
    tenantId: string;
    cycleId: string;
    parentVersion: number;
    proposal: CandidateProposal;
    evidence: { runIds: string[]; evalIds: string[] };
  }): Promise<{ version: number; created: boolean; refused?: string }>;
  /** The case scores of a finished eval, in case order. */
  evalCaseScores(request: { tenantId: string; evalId: string }): Promise<number[]>;
  recordLineageEvals(request: {
    tenantId: string;
    routineId: string;
    version: number;
    evalIds: string[];
  }): Promise<void>;
  recordProposal(proposal: NewProposal): Promise<string>;
  recordProposalDecision(request: {
    tenantId: string;
    id: string;
    decision: Exclude<ProposalDecision, 'pending'>;
    by?: string;
    reason?: string;
  }): Promise<boolean>;
  promoteVersion(request: { tenantId: string; routineId: string; version: number }): Promise<Activation>;
  retireVersion(request: { tenantId: string; routineId: string; version: number }): Promise<void>;
  /** Starts the canary release of a candidate: `percent` of new runs start it. */
  startCanary(request: {
    tenantId: string;
    routineId: string;
    version: number;
    percent: number;
  }): Promise<Canary>;
  /**
   * The live records of the baseline and the canary since the canary started (runs of eval cases
   * left out), and whether the canary still goes on (a person may have promoted or rolled back).
   */
  canaryHealth(request: {
    tenantId: string;
    routineId: string;
    baselineVersion: number;
    canaryVersion: number;
  }): Promise<CanaryHealth & { ongoing: boolean }>;
  /** Ends the canary release of `version` without making it active. */
  endCanary(request: { tenantId: string; routineId: string; version: number }): Promise<boolean>;
  /** Marks a promoted or approved proposal rolled back, with why. */
  rollBackProposal(request: { tenantId: string; id: string; why: string }): Promise<boolean>;
}
