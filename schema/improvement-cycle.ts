import type { CanaryRules, VersionLiveRecord } from './canary-judgement.ts';
import type { EvalCase } from './evaluation.ts';
import type { CandidateProposal, ImprovementEvidence, OptimizerName } from './improvement.ts';
import type { Usage } from './usage.ts';

/**
 * One improvement cycle's input and result: plain types (no zod), since improvementWorkflow uses
 * them; the API validates its own requests before they reach a cycle.
 */

/** What a cycle of `improvementWorkflow` is asked to do; unset fields come from the routine's improvement section. */
export interface ImprovementCycleInput {
  tenantId: string;
  routineId: string;
  autoPromote?: boolean;
  budgetCredits?: number;
  optimizers?: OptimizerName[];
  /** How long a pending proposal waits for a person before it expires; default 7 days. */
  proposalTimeoutMs?: number;
  /** Roles that may decide its proposal; default approver and admin. */
  approverRoles?: string[];
}

/** The routine's policy for this cycle, its defaults filled in. */
export interface CyclePolicy {
  autoPromote: boolean;
  budgetCredits: number;
  optimizers: OptimizerName[];
  margin: number;
  dataset?: string;
  /** The most eval case runs (metric calls) the cycle may make; absent: only credits count. */
  maxMetricCalls?: number;
  /** Release a chosen candidate to a share of new runs first (see schema/canary-policy.ts). */
  canary?: CanaryRules;
}

/** The cases a cycle evaluates on, from the refreshed dataset. */
export interface CycleDataset {
  datasetId: string;
  version: number;
  train: EvalCase[];
  validation: EvalCase[];
}

export interface GatheredEvidence {
  evidence: ImprovementEvidence;
  policy: CyclePolicy;
  /** The runs the evidence read. */
  runIds: string[];
}

export interface ProposedCandidates {
  candidates: CandidateProposal[];
  usage: Usage;
  /** Optimizers asked for that the worker does not have, or that failed: what and why. */
  notes: string[];
}

/** What became of one candidate in a cycle. */
export type CandidateDecision =
  | 'promoted'
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'skipped'
  /** Promoted or approved, released as a canary, and rolled back when its live runs fell behind. */
  | 'rolled_back';

/** How a cycle's canary release of its chosen candidate went. */
export interface CanaryReport {
  version: number;
  percent: number;
  /** promoted: it became active; rolled_back: it fell behind; inconclusive: too few runs in time; ended: a person ended it first. */
  outcome: 'promoted' | 'rolled_back' | 'inconclusive' | 'ended';
  why: string;
  baseline: VersionLiveRecord;
  canary: VersionLiveRecord;
}

/** One candidate as `improve run --json` prints it. */
export interface CycleCandidate {
  version: number;
  optimizer: OptimizerName;
  change: string;
  score: number | null;
  costPerRun: number | null;
  decision: CandidateDecision;
  why: string;
  evalId: string | null;
  proposalId: string | null;
}

/** What a cycle returns, and `improve run --json` prints. */
export interface ImprovementCycleResult {
  cycleId: string;
  routineId: string;
  baseline: { version: number; score: number | null; costPerRun: number | null; evalId: string | null };
  candidates: CycleCandidate[];
  /** The version the cycle made active, or null. */
  promoted: number | null;
  /** Credits spent on optimizers and eval runs, and the cycle's budget. */
  spentCredits: number;
  budgetCredits: number;
  /** The eval case runs (metric calls) the cycle made; absent in cycles recorded before it was counted. */
  metricCalls?: number;
  /** Why the cycle stopped before evaluating everything (its budget), or null. */
  stopped: string | null;
  /** The canary release of the chosen candidate, when the routine's policy asks for one. */
  canary?: CanaryReport;
}

/** A person's decision on a cycle's pending proposal (the decideProposal update). */
export interface ProposalVerdict {
  approved: boolean;
  reason?: string;
  decidedBy?: string;
  /** The decider's roles, when an API key or token decides: one must be an approver role. */
  deciderRoles?: string[];
}

/** What a cycle is doing, as its state query answers. */
export interface ImprovementCycleState {
  cycleId: string;
  routineId: string;
  phase: 'gathering' | 'proposing' | 'evaluating' | 'deciding' | 'waiting' | 'canary' | 'done';
  pending: { proposalId: string; candidateVersion: number } | null;
  /** The canary release under way, and what its last look found. */
  canary?: { version: number; percent: number; last: string };
}
