import { z } from 'zod';
import { EvalCase } from './evaluation.ts';
import { JsonValue } from './json.ts';
import { RoutineId } from './routine.ts';
import { RunStatus } from './run.ts';
import { parseInput, ValidationError } from './validation.ts';

/**
 * Datasets: named, versioned lists of eval cases, each version immutable. Schemas and types for
 * the boundaries (SDK, CLI, REST); the store is `activities/store/datasets/`.
 */

/** A dataset's name, its id within the tenant. "@" is left out: `name@3` names a version. */
export const DatasetName = z
  .string()
  .regex(/^[A-Za-z_][\w.-]{0,127}$/, 'use letters, digits, "_", "." or "-", starting with a letter or "_"');

export const DatasetSplit = z.enum(['train', 'validation']);
export type DatasetSplit = z.infer<typeof DatasetSplit>;

/** Which dataset, and optionally which version of it (default: the latest). */
export const DatasetRef = z.object({
  dataset: DatasetName,
  version: z.number().int().positive().optional(),
});
export type DatasetRef = z.infer<typeof DatasetRef>;

/**
 * `name` or `name@version`, as the CLI takes it.
 * @throws ValidationError naming `subject` when it is neither.
 */
export function parseDatasetRef(text: string, subject = 'dataset'): DatasetRef {
  const at = text.lastIndexOf('@');
  if (at < 0) return parseInput(DatasetRef, { dataset: text }, subject);
  const version = text.slice(at + 1);
  if (!/^[1-9]\d*$/.test(version)) {
    throw new ValidationError(subject, [
      `"${text}": after "@" comes a version number, e.g. ${text.slice(0, at)}@2`,
    ]);
  }
  return parseInput(DatasetRef, { dataset: text.slice(0, at), version: Number(version) }, subject);
}

/** A case as stored: its place in the version, its split (once split), and the case itself. */
export const StoredCase = EvalCase.extend({
  ordinal: z.number().int().min(0),
  split: DatasetSplit.nullable(),
});
export type StoredCase = z.infer<typeof StoredCase>;

/** Options kept on a new dataset (ignored for a new version of an existing one, unless given). */
export const DatasetOptions = z.object({
  description: z.string().max(2000).optional(),
  /** The routine the dataset's cases are inputs of. */
  routineId: RoutineId.optional(),
  /** Who made the version: a person's subject or an API key's id. */
  createdBy: z.string().min(1).optional(),
});
export type DatasetOptions = z.input<typeof DatasetOptions>;

const Score = z.number().min(0).max(1);

/**
 * Which recorded runs become cases. `minScore`/`maxScore` bound the run's score: `runs.score` (the
 * mean of its live scores), else the mean of its `live` and `eval` run scores; a run with neither
 * is left out when a bound is given. The feedback bounds and `hasFeedback` look at its `feedback`
 * scores only (approval and user-task decisions are not counted).
 */
export const RunCaseFilter = z
  .object({
    routineId: RoutineId,
    version: z.number().int().positive().optional(),
    status: RunStatus.optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    minScore: Score.optional(),
    maxScore: Score.optional(),
    hasFeedback: z.boolean().optional(),
    minFeedback: Score.optional(),
    maxFeedback: Score.optional(),
    limit: z.number().int().min(1).max(10_000).default(1000),
    /**
     * Take each run's outputs as the case's expected output: for runs the filter finds good (by
     * score or feedback). Only completed runs qualify then; without it the cases have no expected.
     */
    outputsAsExpected: z.boolean().default(false),
  })
  .superRefine((filter, ctx) => {
    if (filter.outputsAsExpected && filter.status !== undefined && filter.status !== 'completed') {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'outputsAsExpected takes completed runs only: leave status out or set it to "completed"',
      });
    }
    if (
      filter.hasFeedback === false &&
      (filter.minFeedback !== undefined || filter.maxFeedback !== undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['hasFeedback'],
        message: 'a feedback bound needs runs with feedback: leave hasFeedback out',
      });
    }
  });
export type RunCaseFilter = z.output<typeof RunCaseFilter>;
export type RunCaseFilterInput = z.input<typeof RunCaseFilter>;

/** How to split a version: a share of the cases goes to validation, picked by a seeded hash of each case. */
export const SplitRequest = z.object({
  validationShare: z.number().gt(0).lt(1).describe('e.g. 0.2: about a fifth of the cases validate'),
  seed: z.string().min(1).max(200).default('swarmflow'),
  /** The version to split; default the latest. */
  version: z.number().int().positive().optional(),
});
export type SplitRequest = z.input<typeof SplitRequest>;

export interface DatasetSummary {
  datasetId: string;
  description: string | null;
  routineId: string | null;
  latestVersion: number;
  caseCount: number;
  updatedAt: Date;
}

export interface DatasetVersionInfo {
  datasetId: string;
  version: number;
  origin: DatasetOrigin;
  caseCount: number;
  createdBy: string | null;
  createdAt: Date;
}

/** A new version: which, and how many cases it holds. */
export interface CreatedDatasetVersion {
  datasetId: string;
  version: number;
  caseCount: number;
}

/** Where a new version's cases come from: given cases, JSON lines (see parseDatasetJsonl), or recorded runs. */
export const DatasetSource = z.union([
  z.strictObject({ cases: z.array(EvalCase).min(1, 'give at least one case') }),
  z.strictObject({ jsonl: z.string().min(1), file: z.string().min(1).optional() }),
  z.strictObject({ runs: RunCaseFilter }),
]);
export type DatasetSource = z.input<typeof DatasetSource>;

/** A split version: how many cases each side got. */
export interface SplitDatasetVersion extends CreatedDatasetVersion {
  train: number;
  validation: number;
}

/** One version and its cases (or one split's). */
export interface DatasetVersionCases extends DatasetVersionInfo {
  cases: StoredCase[];
}

/** Which cases of a dataset to read. */
export interface DatasetReadOptions {
  /** Default: the latest version. */
  version?: number;
  /** Only this split's cases. */
  split?: DatasetSplit;
}

/** How a version was made (the `origin` column of dataset_versions, typed in schema/db/tables.ts). */
export const DatasetOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('jsonl'), file: z.string().optional() }),
  z.object({ kind: z.literal('runs'), filter: z.record(z.string(), JsonValue) }),
  z.object({ kind: z.literal('manual') }),
  z.object({
    kind: z.literal('split'),
    fromVersion: z.number().int(),
    validationShare: z.number(),
    seed: z.string(),
  }),
]);
export type DatasetOrigin = z.infer<typeof DatasetOriginSchema>;
