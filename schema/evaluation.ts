import { z } from 'zod';
import { JsonSchema, JsonValue } from './json.ts';

/**
 * Evaluation: how a routine's (or a step's) output is scored.
 *
 * Every scorer returns a score in [0, 1] and a reason. The reason is written for whoever reads it
 * next: a person looking at a report, or an optimizer deciding what to change. A case's score is
 * the weighted mean of its scorers' scores; it passes when that reaches `passScore`.
 */

const scorerBase = {
  /** Names the scorer in reports and in `run_scores.name`; defaults to its kind. */
  name: z
    .string()
    .regex(/^[A-Za-z_][\w.-]{0,63}$/, 'use letters, digits, "_", "." or "-"')
    .optional(),
  weight: z.number().positive().default(1).describe('its share of the composite score'),
};

/** The output conforms to a JSON Schema: the scorer's own, else the routine's (or step's) output schema. */
export const JsonSchemaScorer = z.object({
  kind: z.literal('jsonSchema'),
  schema: JsonSchema.optional(),
  ...scorerBase,
});

/**
 * The output matches the expected one. `exact`: deep equality, all or nothing. `fields`: the share of
 * the expected fields (or of `fields`, dot paths) whose values equal the output's, numbers exactly.
 */
export const MatchScorer = z.object({
  kind: z.literal('match'),
  mode: z.enum(['exact', 'fields']).default('fields'),
  fields: z.array(z.string().min(1)).min(1).optional().describe('dot paths; default: every expected field'),
  ...scorerBase,
});

/** A number of the output is within a tolerance of the expected one: 1 inside, falling linearly to 0 at `falloff` × tolerance. */
export const NumericScorer = z.object({
  kind: z.literal('numeric'),
  field: z.string().min(1).describe('dot path into output and expected, e.g. "total"'),
  tolerance: z.number().min(0),
  relative: z.boolean().default(false).describe('tolerance as a fraction of the expected value'),
  falloff: z
    .number()
    .gt(1)
    .default(2)
    .describe('the score falls linearly from 1 at the tolerance to 0 at this many times it'),
  ...scorerBase,
});

/**
 * A FEEL assertion over `input`, `output` and `expected`, e.g. `= output.total = input.quantity * input.unitPrice`.
 * true scores 1, false or null 0; a number in [0, 1] is taken as the score.
 */
export const FeelScorer = z.object({ kind: z.literal('feel'), assert: z.string().min(1), ...scorerBase });

export const JudgeScale = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((scale) => scale.max > scale.min, { message: 'max must be greater than min', path: ['max'] });

/** An LLM grades the output against a rubric on a scale; the grade maps linearly onto [0, 1]. Metered like any LLM step. */
export const JudgeScorer = z.object({
  kind: z.literal('judge'),
  rubric: z.string().min(1),
  scale: JudgeScale.default({ min: 1, max: 5 }),
  model: z
    .string()
    .min(1)
    .optional()
    .describe("a configured model's name; default: the deployment's default model"),
  ...scorerBase,
});

/**
 * An LLM compares the output with a reference output (the case's expected output, or a baseline
 * version's output in a comparison): 1 when the output is better, 0.5 for a tie, 0 when worse.
 * Both orders are asked, so position bias cancels out.
 */
export const PairwiseScorer = z.object({
  kind: z.literal('pairwise'),
  rubric: z.string().min(1).default('Which answer better fulfils the task?'),
  model: z.string().min(1).optional(),
  ...scorerBase,
});

export const Scorer = z.discriminatedUnion('kind', [
  JsonSchemaScorer,
  MatchScorer,
  NumericScorer,
  FeelScorer,
  JudgeScorer,
  PairwiseScorer,
]);
export type Scorer = z.infer<typeof Scorer>;
export type ScorerInput = z.input<typeof Scorer>;
export type ScorerKind = Scorer['kind'];

/** Scorers that need an expected (or reference) output; live scoring of production runs skips them. */
export const scorersNeedingExpected: ReadonlySet<ScorerKind> = new Set(['match', 'numeric', 'pairwise']);

/** The `evaluation` section of a routine or of one of its steps. */
export const Evaluation = z.object({
  scorers: z.array(Scorer).min(1),
  passScore: z.number().min(0).max(1).default(1).describe('a case passes when its score reaches this'),
  liveSample: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'the share of production runs scored in the background, by the scorers that need no expected output',
    ),
});
export type Evaluation = z.infer<typeof Evaluation>;
export type EvaluationInput = z.input<typeof Evaluation>;

/**
 * What `routine_versions.evaluation` holds: the routine's own section at the top, so a reader of
 * its `passScore` or `liveSample` needs nothing else (`scorers` is empty when only its steps have
 * sections), and the steps' sections by element id.
 */
export const StoredEvaluation = Evaluation.extend({
  scorers: z.array(Scorer),
  steps: z.record(z.string(), Evaluation).default({}),
});
export type StoredEvaluation = z.infer<typeof StoredEvaluation>;

/** One scorer's verdict. */
export const ScorerResult = z.object({
  name: z.string(),
  kind: z.enum(['jsonSchema', 'match', 'numeric', 'feel', 'judge', 'pairwise']),
  score: z.number().min(0).max(1),
  weight: z.number().positive(),
  reason: z.string(),
});
export type ScorerResult = z.infer<typeof ScorerResult>;

/** A case's composite score: the weighted mean of its scorers', and whether it reaches the pass score. */
export const CaseScore = z.object({
  score: z.number().min(0).max(1),
  passed: z.boolean(),
  reasons: z.array(ScorerResult),
});
export type CaseScore = z.infer<typeof CaseScore>;

/** One case of a dataset: a run's input, and optionally what it should produce. */
export const EvalCase = z.object({
  input: z.record(z.string(), JsonValue),
  expected: JsonValue.optional(),
  tags: z.array(z.string().min(1)).optional(),
  /** The recorded run the case was taken from: its tool results are replayed in an eval run. */
  sourceRunId: z.string().min(1).optional(),
});
export type EvalCase = z.infer<typeof EvalCase>;

/**
 * What a tool call does in an eval run. `replay`: return the source run's recorded result of the
 * same call, and deny any call it did not make; `deny`: refuse every call; `allowSafe`: call tools
 * marked idempotent or read-only, deny the rest. The default never repeats a real side effect.
 */
export const EvalToolPolicy = z.enum(['replay', 'deny', 'allowSafe']);
export type EvalToolPolicy = z.infer<typeof EvalToolPolicy>;

/** Where a score came from. */
export const ScoreSource = z.enum(['live', 'eval', 'feedback', 'approval', 'userTask']);
export type ScoreSource = z.infer<typeof ScoreSource>;

/** The FEEL expression of a `feel` scorer's assertion: a leading Zeebe `=` is optional. */
export function assertionExpression(assert: string): string {
  const trimmed = assert.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
}
