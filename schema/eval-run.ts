import { z } from 'zod';
import { DEFAULT_CASE_TIMEOUT_MS } from './eval-case-timeout.ts';
import { EvalCase, EvalToolPolicy, ScorerResult } from './evaluation.ts';
import { JsonValue, Variables } from './json.ts';
import { OutcomeError } from './outcome-error.ts';
import { RoutineId } from './routine.ts';
import { Usage } from './usage.ts';

/**
 * Eval runs: a routine version run over a dataset's cases, each case a real run, scored, stored and
 * comparable. The boundary schemas (SDK, CLI, REST) and the results they return.
 */

/**
 * The most cases one eval run takes. The cases travel in the eval workflow's input: every case's
 * input reaches its child run's history anyway (the child's start carries it), so a reference
 * would save one copy at most, while cases in the input keep the eval reproducible from its history
 * alone, whatever happens to the dataset later. This bound keeps that history well inside
 * Temporal's limits (about ten events per case).
 */
export const MAX_EVAL_CASES = 1000;

/** The most bytes the cases may take as JSON (Temporal refuses payloads above 2 MiB). */
export const MAX_EVAL_CASES_BYTES = 1_500_000;

export const EvalId = z
  .string()
  .regex(/^[\w.-]{1,100}$/, 'eval ids use letters, digits, "_", "." or "-" (at most 100)');

/** Where an eval's cases came from, when they came from a stored dataset. */
export const EvalDatasetRef = z.object({
  id: z.string().min(1),
  version: z.number().int().positive().optional(),
});
export type EvalDatasetRef = z.infer<typeof EvalDatasetRef>;

const startEvalFields = {
  routineId: RoutineId,
  version: z.number().int().positive().optional().describe('defaults to the latest version'),
  cases: z.array(EvalCase).min(1, 'give at least one case').max(MAX_EVAL_CASES),
  dataset: EvalDatasetRef.optional().describe('the stored dataset the cases came from, for comparisons'),
  toolPolicy: EvalToolPolicy.default('replay').describe(
    "replay the source run's tool results (a case without a source run: every call denied), deny every call, or allow only read-only/idempotent tools",
  ),
  concurrency: z.number().int().min(1).max(64).default(4).describe('cases run at the same time'),
  caseTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(30 * 24 * 60 * 60 * 1000)
    .default(DEFAULT_CASE_TIMEOUT_MS)
    .describe(
      'a case whose run has not ended by then (waiting at a user task, a timer or a message) is cancelled and scores 0; default 15 minutes',
    ),
  evalId: EvalId.optional().describe('defaults to a generated id'),
};

/** Refuses cases too large for one eval's history. */
function casesFit(request: { cases: unknown[] }, context: z.RefinementCtx): void {
  const bytes = new TextEncoder().encode(JSON.stringify(request.cases)).length;
  if (bytes > MAX_EVAL_CASES_BYTES) {
    context.addIssue({
      code: 'custom',
      path: ['cases'],
      message: `the cases take ${bytes} bytes as JSON, more than ${MAX_EVAL_CASES_BYTES}; split the dataset into several evals`,
    });
  }
}

/** What a caller gives to start an eval run (SDK, CLI). */
export const StartEvalRequest = z
  .object({ ...startEvalFields, tenantId: z.string().min(1).optional() })
  .superRefine(casesFit);

/** `POST /v1/evals`: the same without a tenant, which is the caller's. */
export const StartEvalBody = z.strictObject(startEvalFields).superRefine(casesFit);
export type StartEvalRequest = z.input<typeof StartEvalRequest>;

/** One case's result, as `eval run --json` prints it. `error`: why its run did not complete (it then scores 0). */
export const EvalCaseResult = z.object({
  input: Variables,
  output: JsonValue.nullable(),
  expected: JsonValue.nullable(),
  score: z.number().min(0).max(1),
  passed: z.boolean(),
  reasons: z.array(ScorerResult),
  error: OutcomeError.optional(),
});
export type EvalCaseResult = z.infer<typeof EvalCaseResult>;

export const LatencySummary = z.object({ p50: z.number().int(), p95: z.number().int() });

/** What `eval run --json` prints for an eval that completed. */
export const EvalRunResult = z.object({
  evalId: z.string(),
  routineId: z.string(),
  version: z.number().int(),
  score: z.number().min(0).max(1).describe('the mean of the case scores'),
  cases: z.array(EvalCaseResult),
  usage: Usage,
  latencyMs: LatencySummary,
});
export type EvalRunResult = z.infer<typeof EvalRunResult>;

/** A stored eval run's summary, as listed. */
export const EvalSummary = z.object({
  evalId: z.string(),
  routineId: z.string(),
  version: z.number().int(),
  datasetId: z.string().nullable(),
  datasetVersion: z.number().int().nullable(),
  toolPolicy: EvalToolPolicy,
  status: z.enum(['running', 'completed', 'failed']),
  score: z.number().nullable(),
  caseCount: z.number().int(),
  passedCount: z.number().int().nullable(),
  usage: Usage.nullable(),
  latencyMs: z.object({ p50: z.number().int().nullable(), p95: z.number().int().nullable() }),
  error: OutcomeError.nullable(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
});
export type EvalSummary = z.infer<typeof EvalSummary>;

/** A stored case of an eval run, with the run it ran as. */
export const StoredEvalCase = EvalCaseResult.extend({
  ordinal: z.number().int(),
  runId: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  usage: Usage.nullable(),
});
export type StoredEvalCase = z.infer<typeof StoredEvalCase>;

export const EvalDetails = EvalSummary.extend({ cases: z.array(StoredEvalCase) });
export type EvalDetails = z.infer<typeof EvalDetails>;

export const EvalFilter = z.object({
  routineId: RoutineId.optional(),
  version: z.number().int().positive().optional(),
  datasetId: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type EvalFilter = z.input<typeof EvalFilter>;

export const CompareEvalsRequest = z.object({
  routineId: RoutineId,
  versionA: z.number().int().positive(),
  versionB: z.number().int().positive(),
  datasetId: z.string().min(1).optional().describe('compare the latest evals on this dataset'),
});
export type CompareEvalsRequest = z.input<typeof CompareEvalsRequest>;

/** B's mean score minus A's, with a 95% confidence interval. */
export const EvalComparison = z.object({
  routineId: z.string(),
  a: z.object({ version: z.number().int(), evalId: z.string(), score: z.number(), cases: z.number().int() }),
  b: z.object({ version: z.number().int(), evalId: z.string(), score: z.number(), cases: z.number().int() }),
  difference: z.number().describe("B's mean score minus A's"),
  confidence: z.object({ level: z.literal(0.95), low: z.number(), high: z.number() }),
  method: z.enum(['paired-t', 'welch-t']).describe('paired by case input when both evals ran the same cases'),
  pairs: z.number().int().describe('cases paired by input (0 when unpaired)'),
  significant: z.boolean().describe('the interval excludes 0'),
});
export type EvalComparison = z.infer<typeof EvalComparison>;

/** The input of evalWorkflow, built by the SDK from a validated StartEvalRequest. */
export interface EvalWorkflowInput {
  evalId: string;
  tenantId: string;
  routineId: string;
  version: number;
  cases: EvalCase[];
  toolPolicy: EvalToolPolicy;
  concurrency: number;
  dataset?: EvalDatasetRef;
  /** A case run not ended by then is cancelled and scores 0 (absent in evals started before it existed: no limit). */
  caseTimeoutMs?: number;
}

/** One case's row, as the eval workflow records it (eval_cases, keyed by eval id and ordinal). */
export interface EvalCaseRecord extends EvalCaseResult {
  evalId: string;
  tenantId: string;
  /** 1-based, in the dataset's order. */
  ordinal: number;
  runId: string;
  latencyMs: number;
  usage: Usage;
}

/**
 * What evalWorkflow returns: the result without its cases, which the store holds (a thousand
 * cases' outputs could pass Temporal's payload limit); the SDK reads them from there.
 */
export type EvalWorkflowResult = Omit<EvalRunResult, 'cases'> & { passedCount: number; caseCount: number };

/** The failure type a failed eval workflow throws. */
export const EVAL_FAILED = 'SwarmflowEvalFailed';
