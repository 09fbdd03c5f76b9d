import type { Kysely } from 'kysely';
import { findScoreTarget, listRunScores, recordRunScores, scoreId } from '../activities/store/run-scores.ts';
import type { Database } from '../schema/db/tables.ts';
import { RunId } from '../schema/run.ts';
import { RunFeedback, type RunFeedbackInput, type RunScoreRecord } from '../schema/run-score.ts';
import { parseInput } from '../schema/validation.ts';
import { UnknownRunError } from './errors.ts';
import type { RunsOperations } from './remote/swarmflow-api.ts';

/** Feedback on runs and the scores they got: live scorers', evals', people's and decisions'. */
export class RunScoresApi implements RunsOperations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
  ) {}

  /**
   * Records a person's feedback on a run as a score of source `feedback`, given by `givenBy` (the
   * API server sets it from the caller's credentials; operator-side callers name themselves).
   * The same giver's feedback on the same run and aspect (`name`) again replaces the earlier one.
   * @throws ValidationError when the run id or the feedback is invalid, naming the field (`score: must be at most 1 ...`).
   * @throws UnknownRunError when the tenant has no such run (another tenant's run is unknown too).
   */
  async feedback(runId: string, feedback: RunFeedbackInput): Promise<RunScoreRecord> {
    const id = parseInput(RunId, runId, 'run id');
    const parsed = parseInput(RunFeedback, feedback, 'feedback');
    const target = await this.target(id);
    const giver = parsed.givenBy ?? 'anonymous';
    const score = {
      ...target,
      id: scoreId('feedback', id, parsed.name, giver),
      source: 'feedback' as const,
      name: parsed.name,
      score: parsed.score,
      reason: parsed.comment ?? null,
      givenBy: parsed.givenBy ?? null,
    };
    await recordRunScores(this.db, [score], { replace: true });
    const recorded = (await listRunScores(this.db, id)).find((row) => row.id === score.id);
    if (!recorded) throw new Error(`feedback on run "${id}" was not recorded`);
    return recorded;
  }

  /**
   * The run's scores, oldest first.
   * @throws UnknownRunError when the tenant has no such run.
   */
  async scores(runId: string): Promise<RunScoreRecord[]> {
    const id = parseInput(RunId, runId, 'run id');
    await this.target(id);
    return listRunScores(this.db, id);
  }

  private async target(runId: string) {
    const target = await findScoreTarget(this.db, this.tenantId, runId);
    if (!target) throw new UnknownRunError(runId);
    return target;
  }
}
