import { z } from 'zod';
import { ScoreSource } from './evaluation.ts';
import { JsonValue } from './json.ts';
import { RoutineId } from './routine.ts';

/** A score's name: a scorer's, a feedback's aspect (`helpfulness`), a user task's element id. */
export const ScoreName = z
  .string()
  .regex(
    /^[A-Za-z_][\w.:/-]{0,127}$/,
    'use letters, digits, "_", ".", ":", "/" or "-", starting with a letter',
  );

/** The name a person's feedback is recorded under when it names none. */
export const defaultFeedbackName = 'feedback';

/**
 * A person's feedback on a run (SDK, CLI, REST, MCP). It is stored as a score of source `feedback`,
 * one per run, name and giver: giving feedback again on the same aspect replaces one's earlier score.
 */
export const RunFeedback = z.strictObject({
  score: z
    .number({ error: 'give a number from 0 (bad) to 1 (good)' })
    .min(0, 'must be at least 0 (0 is the worst)')
    .max(1, 'must be at most 1 (1 is the best); scale other grades into 0..1'),
  comment: z.string().min(1).max(4000).optional().describe("why: recorded as the score's reason"),
  name: ScoreName.default(defaultFeedbackName).describe('the aspect scored, e.g. "helpfulness"'),
  givenBy: z
    .string()
    .min(1)
    .optional()
    .describe("the giver's identity; the API server sets it from the caller's credentials"),
});
export type RunFeedback = z.infer<typeof RunFeedback>;
export type RunFeedbackInput = z.input<typeof RunFeedback>;

/** One score on a run, as the SDK, CLI, REST and MCP list them. */
export const RunScoreRecord = z.object({
  id: z.string(),
  runId: z.string(),
  routineId: RoutineId,
  routineVersion: z.number().int(),
  source: ScoreSource,
  name: z.string(),
  score: z.number().min(0).max(1),
  reason: z.string().nullable(),
  givenBy: z.string().nullable().describe('the identity that gave it; null for scorers'),
  details: z.record(z.string(), JsonValue).nullable(),
  createdAt: z.coerce.date(),
});
export type RunScoreRecord = z.infer<typeof RunScoreRecord>;

/** Scores of a routine (version) by source: how many, and their mean. */
export const ScoreSummary = z.object({
  routineId: RoutineId,
  routineVersion: z.number().int(),
  source: ScoreSource,
  count: z.number().int(),
  mean: z.number().min(0).max(1),
});
export type ScoreSummary = z.infer<typeof ScoreSummary>;
