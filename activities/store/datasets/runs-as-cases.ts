import { type Kysely, sql } from 'kysely';
import type { RunCaseFilter } from '../../../schema/dataset.ts';
import type { Database } from '../../../schema/db/tables.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';

/**
 * The tenant's recorded runs that `filter` selects, oldest first, as eval cases: each run's input
 * is the case's input, its id the case's `sourceRunId` (an eval replays its tool results), and,
 * with `outputsAsExpected`, its outputs the expected output (completed runs with outputs only).
 */
export async function runsAsCases(
  db: Kysely<Database>,
  tenantId: string,
  filter: RunCaseFilter,
): Promise<EvalCase[]> {
  const scoreOf = sql<number | null>`coalesce(runs.score, (
    select avg(s.score) from run_scores s
    where s.tenant_id = runs.tenant_id and s.run_id = runs.run_id and s.source in ('live', 'eval')))`;
  const feedbackOf = sql<number | null>`(
    select avg(f.score) from run_scores f
    where f.tenant_id = runs.tenant_id and f.run_id = runs.run_id and f.source = 'feedback')`;

  let query = db
    .selectFrom('runs')
    .select(['run_id', 'input', 'outputs'])
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', filter.routineId)
    // An eval's case runs (`<evalId>:case-<n>`) replay a dataset: they never become one.
    .where(
      sql<boolean>`not exists (select 1 from eval_runs
        where eval_runs.tenant_id = runs.tenant_id and starts_with(runs.run_id, eval_runs.eval_id || ':case-'))`,
    )
    .orderBy('started_at')
    .orderBy('run_id')
    .limit(filter.limit);
  if (filter.version !== undefined) query = query.where('routine_version', '=', filter.version);
  const status = filter.outputsAsExpected ? 'completed' : filter.status;
  if (status !== undefined) query = query.where('status', '=', status);
  if (filter.outputsAsExpected) query = query.where('outputs', 'is not', null);
  if (filter.since) query = query.where('started_at', '>=', filter.since);
  if (filter.until) query = query.where('started_at', '<', filter.until);
  if (filter.minScore !== undefined) query = query.where(scoreOf, '>=', filter.minScore);
  if (filter.maxScore !== undefined) query = query.where(scoreOf, '<=', filter.maxScore);
  if (filter.hasFeedback !== undefined) {
    query = query.where(
      filter.hasFeedback ? sql<boolean>`${feedbackOf} is not null` : sql<boolean>`${feedbackOf} is null`,
    );
  }
  if (filter.minFeedback !== undefined) query = query.where(feedbackOf, '>=', filter.minFeedback);
  if (filter.maxFeedback !== undefined) query = query.where(feedbackOf, '<=', filter.maxFeedback);

  const rows = await query.execute();
  return rows.map((row) => ({
    input: row.input,
    ...(filter.outputsAsExpected && row.outputs !== null ? { expected: row.outputs } : {}),
    sourceRunId: row.run_id,
  }));
}
