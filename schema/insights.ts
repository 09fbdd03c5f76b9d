import { z } from 'zod';
import { JsonValue } from './json.ts';

/**
 * What `swarmflow insights <routine>` reports, computed from the read models (runs, run_steps,
 * run_scores, swarm_subtasks, routine_versions). Schemas for the REST answer and `--json`.
 */

/** Failures of one element with one error, its message normalised (ids, numbers, quoted text masked). */
export const FailureCluster = z.object({
  elementId: z.string().describe('"(run)" for a run that failed with no failed step recorded'),
  error: z.string().describe('the normalised message'),
  count: z.number().int().positive(),
  runIds: z.array(z.string()).describe('the first few runs, oldest first'),
  firstAt: z.date(),
  lastAt: z.date(),
});
export type FailureCluster = z.infer<typeof FailureCluster>;

export const OutlierMetric = z.enum(['latencyMs', 'credits']);
export type OutlierMetric = z.infer<typeof OutlierMetric>;

/** An element (or the whole run) whose cost or latency is far above its median on some runs. */
export const OutlierGroup = z.object({
  elementId: z.string().describe('"(run)" for whole runs'),
  metric: OutlierMetric,
  samples: z.number().int().positive(),
  median: z.number(),
  mad: z.number().describe('median absolute deviation'),
  threshold: z.number().describe('median + k × max(MAD, 5% of the median): above it is an outlier'),
  outliers: z.array(z.object({ runId: z.string(), value: z.number() })).describe('largest first'),
});
export type OutlierGroup = z.infer<typeof OutlierGroup>;

/** An LLM step that, over the runs seen, always gave the same output for the same input: a candidate to become deterministic. */
export const DeterministicCandidate = z.object({
  elementId: z.string(),
  strategies: z.array(z.string()),
  runs: z.number().int().positive(),
  distinctInputs: z.number().int().positive(),
  /** Inputs seen on two runs or more: the evidence. */
  repeatedInputs: z.number().int().positive(),
  distinctOutputs: z.number().int().positive(),
  exampleOutput: JsonValue,
});
export type DeterministicCandidate = z.infer<typeof DeterministicCandidate>;

/** Two routines often run one after the other whose schemas fit: candidates to combine. */
export const ChainCandidate = z.object({
  before: z.string(),
  after: z.string(),
  /** Pairs seen: subtasks of one swarm where `after` depends on `before`, and runs started right after the other ended. */
  inSwarms: z.number().int().min(0),
  backToBack: z.number().int().min(0),
  /** Of the back-to-back pairs, how many fed (part of) `before`'s outputs into `after`'s input. */
  chainedInputs: z.number().int().min(0),
  /** `after`'s required input fields, all of which `before`'s output schema declares. */
  coveredFields: z.array(z.string()),
});
export type ChainCandidate = z.infer<typeof ChainCandidate>;

export const InsightsReport = z.object({
  routineId: z.string(),
  since: z.date().nullable(),
  runs: z.number().int().min(0),
  failedRuns: z.number().int().min(0),
  failureClusters: z.array(FailureCluster),
  outliers: z.array(OutlierGroup),
  deterministicCandidates: z.array(DeterministicCandidate),
  chainCandidates: z.array(ChainCandidate),
  /** What the report could not see, e.g. that a step's own input is not recorded. */
  notes: z.array(z.string()),
});
export type InsightsReport = z.infer<typeof InsightsReport>;
