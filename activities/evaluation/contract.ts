import type { CaseScore } from '../../schema/evaluation.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { Usage } from '../../schema/usage.ts';

/** What to score: a run's (or an eval case's) input and output, and what it was expected to produce. */
export interface ScoreCaseInput {
  tenantId: string;
  routineId: string;
  version: number;
  /** The run that produced `output`: its step outputs are scored by the steps' own evaluation sections. */
  runId?: string;
  input: Variables;
  /** The run's output; absent when it produced none (it failed). */
  output?: JsonValue;
  expected?: JsonValue;
  /** A baseline output the pairwise scorer compares with; the expected output when absent. */
  reference?: JsonValue;
  /**
   * `eval`: every scorer (those that need an expected output score 0 with a reason when it is missing).
   * `live`: only the scorers that need no expected output, for sampled production runs.
   */
  mode: 'eval' | 'live';
}

/** A case's score with the step scores it includes and what the judges cost. */
export interface ScoredCase extends CaseScore {
  /** Per step with its own evaluation section: its element id and score. */
  steps: { elementId: string; score: CaseScore }[];
  /** Judge and pairwise model calls, metered like any LLM step. */
  usage: Usage;
}

/**
 * The evaluation activities, as workflows see them. Their implementations live beside this file;
 * workflows import only these types.
 */
export interface EvaluationActivities {
  /**
   * Scores one case by the routine version's evaluation section (loaded from the store, never sent
   * through history), or, with none, by field match against `expected`. Returns null when there is
   * nothing to score it by (no evaluation section and no expected output, or in `live` mode no
   * scorer that needs no expected output). Fails non-retryably (type `UnknownRoutine`) for a version
   * that does not exist; a judge model's errors are classified like any LLM call's.
   */
  scoreCase(input: ScoreCaseInput): Promise<ScoredCase | null>;
}
