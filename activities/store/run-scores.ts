import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, RunScoreTable } from '../../schema/db/tables.ts';
import type { ScoreSource } from '../../schema/evaluation.ts';
import type { JsonValue } from '../../schema/json.ts';
import { RunScoreRecord, ScoreSummary } from '../../schema/run-score.ts';
import { processMetrics } from '../metrics/process-metrics.ts';

/**
 * Scores on runs (table `run_scores`): live scorers', evals', people's feedback, and approval and
 * user-task decisions. Every write names its row's id, derived from the work (see `scoreId`), so a
 * retried write changes nothing. Tenant isolation comes from the database the caller passes: the
 * API server's is under row-level security (TenantDatabases), workers' is the owner's and every
 * query here that reads more than one row also filters by tenant.
 */

/** What a run's score is given to: the run and the routine version it ran. */
export interface ScoreTarget {
  tenantId: string;
  runId: string;
  routineId: string;
  routineVersion: number;
}

export interface RunScoreInput extends ScoreTarget {
  id: string;
  source: ScoreSource;
  name: string;
  score: number;
  reason?: string | null;
  givenBy?: string | null;
  details?: Record<string, JsonValue> | null;
}

/**
 * A score's id from the work that gives it: `<source>:<runId>:<key...>`, e.g.
 * `live:<run>:<scorer>`, `approval:<run>:<callId>`, `feedback:<run>:<name>:<giver>`.
 */
export function scoreId(source: ScoreSource, runId: string, ...key: string[]): string {
  return [source, runId, ...key].join(':');
}

/**
 * The run a score is for, as `db` sees it (under row-level security, another tenant's run is not
 * there), or undefined when there is no such run of `tenantId`.
 */
export async function findScoreTarget(
  db: Kysely<Database>,
  tenantId: string,
  runId: string,
): Promise<ScoreTarget | undefined> {
  const row = await db
    .selectFrom('runs')
    .select(['tenant_id', 'run_id', 'routine_id', 'routine_version'])
    .where('run_id', '=', runId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return (
    row && {
      tenantId: row.tenant_id,
      runId: row.run_id,
      routineId: row.routine_id,
      routineVersion: row.routine_version,
    }
  );
}

/**
 * Records scores. `replace: false` (the default): a row whose id exists stays as it is (a retry);
 * `replace: true`: the new score, reason and details replace it (a person changing their feedback).
 * Live scores refresh the run's `score` column. Returns how many rows were written.
 */
export async function recordRunScores(
  db: Kysely<Database>,
  scores: RunScoreInput[],
  { replace = false }: { replace?: boolean } = {},
): Promise<number> {
  if (scores.length === 0) return 0;
  const rows = scores.map((score) => ({
    id: score.id,
    tenant_id: score.tenantId,
    run_id: score.runId,
    routine_id: score.routineId,
    routine_version: score.routineVersion,
    source: score.source,
    name: score.name,
    score: score.score,
    reason: score.reason ?? null,
    given_by: score.givenBy ?? null,
    details: score.details ? JSON.stringify(score.details) : null,
  }));
  const inserted = await db
    .insertInto('run_scores')
    .values(rows)
    .onConflict((conflict) =>
      replace
        ? conflict.column('id').doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            reason: eb.ref('excluded.reason'),
            details: eb.ref('excluded.details'),
            created_at: sql<Date>`now()`,
          }))
        : conflict.column('id').doNothing(),
    )
    .returning('id')
    .execute();
  const insertedIds = new Set(inserted.map((row) => row.id));
  for (const score of scores)
    if (insertedIds.has(score.id))
      processMetrics().scores.observe({ source: score.source, scorer: score.name }, score.score);
  const liveRuns = new Set(scores.filter((s) => s.source === 'live').map((s) => s.runId));
  for (const runId of liveRuns) await refreshRunScore(db, runId);
  return inserted.length;
}

/** Sets the run's `score` to the mean of its latest live score per scorer name (null with none). */
export async function refreshRunScore(db: Kysely<Database>, runId: string): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      score: sql<number | null>`(
        select avg(latest.score) from (
          select distinct on (name) score from run_scores
          where run_id = ${runId} and source = 'live'
          order by name, created_at desc
        ) as latest)`,
    })
    .where('run_id', '=', runId)
    .execute();
}

/** A run's scores, oldest first. */
export async function listRunScores(db: Kysely<Database>, runId: string): Promise<RunScoreRecord[]> {
  const rows = await db
    .selectFrom('run_scores')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRunScoreRecord);
}

export interface ScoreSummaryFilter {
  routineId: string;
  routineVersion?: number;
  source?: ScoreSource;
  /** Only scores given at or after this time. */
  since?: Date;
}

/** The tenant's scores of a routine, per version and source: how many and their mean. */
export async function summarizeRunScores(
  db: Kysely<Database>,
  tenantId: string,
  filter: ScoreSummaryFilter,
): Promise<ScoreSummary[]> {
  let query = db
    .selectFrom('run_scores')
    .select(['routine_id', 'routine_version', 'source'])
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.avg<number>('score').as('mean')])
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', filter.routineId);
  if (filter.routineVersion !== undefined) query = query.where('routine_version', '=', filter.routineVersion);
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  const rows = await query
    .groupBy(['routine_id', 'routine_version', 'source'])
    .orderBy('routine_version')
    .orderBy('source')
    .execute();
  return rows.map((row) =>
    ScoreSummary.parse({
      routineId: row.routine_id,
      routineVersion: row.routine_version,
      source: row.source,
      count: Number(row.count),
      mean: Number(row.mean),
    }),
  );
}

function toRunScoreRecord(row: Selectable<RunScoreTable>): RunScoreRecord {
  return RunScoreRecord.parse({
    id: row.id,
    runId: row.run_id,
    routineId: row.routine_id,
    routineVersion: row.routine_version,
    source: row.source,
    name: row.name,
    score: row.score,
    reason: row.reason,
    givenBy: row.given_by,
    details: row.details,
    createdAt: row.created_at,
  });
}
