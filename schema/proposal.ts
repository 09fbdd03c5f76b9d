import { z } from 'zod';
import { OptimizerName } from './optimizer-name.ts';
import { RoutineId } from './routine.ts';

/**
 * What became of a proposal: waiting for a person, decided, promoted by policy, timed out, or
 * rolled back when its canary release fell behind the baseline's live runs.
 */
export const ProposalDecision = z.enum([
  'pending',
  'approved',
  'rejected',
  'promoted',
  'expired',
  'rolled_back',
]);
export type ProposalDecision = z.infer<typeof ProposalDecision>;

/** The eval numbers a proposal was decided on (see schema/improvement-decision.ts). */
export const ProposalScores = z.object({
  baselineScore: z.number(),
  candidateScore: z.number(),
  baselineCostPerRun: z.number(),
  candidateCostPerRun: z.number(),
  difference: z.number(),
  low: z.number(),
  high: z.number(),
  pairs: z.number().int(),
  margin: z.number(),
  baselineEvalId: z.string(),
  candidateEvalId: z.string(),
});
export type ProposalScores = z.infer<typeof ProposalScores>;

/** A candidate version an improvement cycle proposes for a person's decision. */
export const Proposal = z.object({
  id: z.string(),
  tenantId: z.string(),
  routineId: z.string(),
  cycleId: z.string(),
  candidateVersion: z.number().int(),
  baselineVersion: z.number().int(),
  optimizer: OptimizerName,
  change: z.string(),
  decision: ProposalDecision,
  why: z.string(),
  scores: ProposalScores,
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.date(),
  decidedAt: z.date().nullable(),
});
export type Proposal = z.infer<typeof Proposal>;

export const ProposalFilter = z.object({
  routineId: RoutineId.optional(),
  decision: ProposalDecision.optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ProposalFilter = z.input<typeof ProposalFilter>;
