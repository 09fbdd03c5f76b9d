import { z } from 'zod';
import { ScorerResult } from './evaluation.ts';
import { InsightsReport } from './insights.ts';
import { JsonValue, Variables } from './json.ts';
import { OptimizerName } from './optimizer-name.ts';
import { RoutineDefinition } from './routine.ts';
import { Usage } from './usage.ts';

/**
 * Autonomous improvement: the shared contract of the improvement loop and its optimizers.
 *
 * A cycle gathers evidence about a routine's active version, asks optimizers for candidate
 * versions, evaluates each candidate and the baseline on the same validation cases, and decides.
 */

/** The optimizers' names (in their own file, so that a routine's improvement section can name them). */
export { OptimizerName } from './optimizer-name.ts';
/** A routine version's place in its life cycle (in its own file, so that a stored version can name it). */
export { VersionStatus } from './version-lineage.ts';

/** A case as the evidence shows it: what went in, what came out, what was expected, how it scored and why. */
export const EvidenceCase = z.object({
  input: Variables,
  output: JsonValue.optional(),
  expected: JsonValue.optional(),
  score: z.number().min(0).max(1),
  reasons: z.array(ScorerResult),
  /** The run that produced it, when it came from a recorded run or an eval case run. */
  runId: z.string().optional(),
});
export type EvidenceCase = z.infer<typeof EvidenceCase>;

/** What a cycle knows about the routine's current version before it proposes anything. */
export const ImprovementEvidence = z.object({
  tenantId: z.string(),
  routineId: z.string(),
  /** The baseline: the active version, its definition as registered, its eval score and cost per run. */
  baseline: z.object({
    version: z.number().int().positive(),
    definition: RoutineDefinition,
    score: z.number().min(0).max(1).optional(),
    costPerRun: z.number().min(0).optional(),
  }),
  /** The baseline's eval cases on the training split, worst first. */
  cases: z.array(EvidenceCase),
  /** People's feedback and decisions on recent runs. */
  feedback: z.array(z.object({ runId: z.string(), score: z.number(), reason: z.string().nullable() })),
  insights: InsightsReport.optional(),
  /**
   * Variants tried before (earlier candidates), each scored on the same cases, matched by input: the
   * reflective optimizer mutates those on the Pareto front (with the baseline) instead of the baseline only.
   */
  variants: z
    .array(
      z.object({
        definition: RoutineDefinition,
        change: z.string().optional(),
        cases: z.array(z.object({ input: Variables, score: z.number().min(0).max(1) })),
      }),
    )
    .optional(),
  /** The configured models' names, cheapest first by the price table. */
  models: z.array(z.string()),
});
export type ImprovementEvidence = z.infer<typeof ImprovementEvidence>;

/** One candidate version an optimizer proposes: the whole new definition and what it changed, in words. */
export const CandidateProposal = z.object({
  optimizer: OptimizerName,
  /** One line a person reads in a proposal: "step classify: instruction rewritten to name the categories". */
  change: z.string().min(1),
  definition: RoutineDefinition,
});
export type CandidateProposal = z.infer<typeof CandidateProposal>;

/** What an optimizer returns: its candidates (possibly none) and what proposing them cost. */
export const OptimizerResult = z.object({ candidates: z.array(CandidateProposal), usage: Usage });
export type OptimizerResult = z.infer<typeof OptimizerResult>;
