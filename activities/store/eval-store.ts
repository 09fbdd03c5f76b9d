import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, EvalCaseTable, EvalRunTable } from '../../schema/db/tables.ts';
import {
  type EvalCaseRecord,
  type EvalDatasetRef,
  EvalDetails,
  EvalFilter,
  EvalSummary,
  StoredEvalCase,
} from '../../schema/eval-run.ts';
import type { EvalToolPolicy } from '../../schema/evaluation.ts';
import type { OutcomeError } from '../../schema/outcome-error.ts';
import type { Usage } from '../../schema/usage.ts';

/**
 * Eval runs and their cases in PostgreSQL (eval_runs, eval_cases): written by the eval workflow's
 * activities, idempotently; read by the SDK for listings, details, comparisons and reports.
 */

export interface EvalStart {
  evalId: string;
  tenantId: string;
  routineId: string;
  version: number;
  toolPolicy: EvalToolPolicy;
  caseCount: number;
  dataset?: EvalDatasetRef;
}

export interface EvalEnd {
  evalId: string;
  tenantId: string;
  status: 'completed' | 'failed';
  score?: number;
  passedCount?: number;
  usage?: Usage;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  error?: OutcomeError;
}

/** Records that an eval started; again for the same id, the first record stands. */
export async function recordEvalStarted(db: Kysely<Database>, start: EvalStart): Promise<void> {
  await db
    .insertInto('eval_runs')
    .values({
      eval_id: start.evalId,
      tenant_id: start.tenantId,
      routine_id: start.routineId,
      routine_version: start.version,
      dataset_id: start.dataset?.id ?? null,
      dataset_version: start.dataset?.version ?? null,
      tool_policy: start.toolPolicy,
      status: 'running',
      case_count: start.caseCount,
    })
    .onConflict((conflict) => conflict.column('eval_id').doNothing())
    .execute();
}

/** Writes one case's row, keyed by eval id and ordinal: again, it overwrites the row. */
export async function recordEvalCase(db: Kysely<Database>, record: EvalCaseRecord): Promise<void> {
  const values = {
    tenant_id: record.tenantId,
    run_id: record.runId,
    input: JSON.stringify(record.input),
    expected: record.expected === null ? null : JSON.stringify(record.expected),
    output: record.output === null ? null : JSON.stringify(record.output),
    score: record.score,
    passed: record.passed,
    reasons: JSON.stringify(record.reasons),
    latency_ms: record.latencyMs,
    usage: JSON.stringify(record.usage),
    error: record.error === undefined ? null : JSON.stringify(record.error),
  };
  await db
    .insertInto('eval_cases')
    .values({ eval_id: record.evalId, ordinal: record.ordinal, ...values })
    .onConflict((conflict) => conflict.columns(['eval_id', 'ordinal']).doUpdateSet(values))
    .execute();
}

/**
 * Records how an eval ended, for an eval that was recorded as started. A failure before that (an
 * unknown routine) records the eval too, with no cases counted.
 */
export async function recordEvalEnded(db: Kysely<Database>, end: EvalEnd): Promise<void> {
  const { numUpdatedRows } = await db
    .updateTable('eval_runs')
    .set({
      status: end.status,
      score: end.score ?? null,
      passed_count: end.passedCount ?? null,
      usage: end.usage === undefined ? null : JSON.stringify(end.usage),
      latency_p50_ms: end.latencyP50Ms ?? null,
      latency_p95_ms: end.latencyP95Ms ?? null,
      error: end.error === undefined ? null : JSON.stringify(end.error),
      ended_at: sql<Date>`coalesce(ended_at, now())`,
    })
    .where('eval_id', '=', end.evalId)
    .where('tenant_id', '=', end.tenantId)
    .executeTakeFirst();
  if (numUpdatedRows > 0n) return;
  throw new Error(`no eval "${end.evalId}" recorded as started`);
}

/** The tenant's evals, newest first. */
export async function listEvals(
  db: Kysely<Database>,
  tenantId: string,
  filter: EvalFilter = {},
): Promise<EvalSummary[]> {
  const { routineId, version, datasetId, limit } = EvalFilter.parse(filter);
  let query = db.selectFrom('eval_runs').selectAll().where('tenant_id', '=', tenantId);
  if (routineId !== undefined) query = query.where('routine_id', '=', routineId);
  if (version !== undefined) query = query.where('routine_version', '=', version);
  if (datasetId !== undefined) query = query.where('dataset_id', '=', datasetId);
  const rows = await query.orderBy('started_at', 'desc').orderBy('eval_id').limit(limit).execute();
  return rows.map(evalSummary);
}

/** An eval with its cases in order, or undefined when the tenant has none of that id. */
export async function getEval(
  db: Kysely<Database>,
  tenantId: string,
  evalId: string,
): Promise<EvalDetails | undefined> {
  const row = await db
    .selectFrom('eval_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('eval_id', '=', evalId)
    .executeTakeFirst();
  if (!row) return undefined;
  const cases = await db
    .selectFrom('eval_cases')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('eval_id', '=', evalId)
    .orderBy('ordinal')
    .execute();
  return EvalDetails.parse({ ...evalSummary(row), cases: cases.map(storedCase) });
}

/** The latest completed eval of a routine version (on a dataset, when given), or undefined. */
export async function latestCompletedEval(
  db: Kysely<Database>,
  tenantId: string,
  routineId: string,
  version: number,
  datasetId?: string,
): Promise<EvalSummary | undefined> {
  let query = db
    .selectFrom('eval_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', routineId)
    .where('routine_version', '=', version)
    .where('status', '=', 'completed');
  if (datasetId !== undefined) query = query.where('dataset_id', '=', datasetId);
  const row = await query.orderBy('started_at', 'desc').orderBy('eval_id', 'desc').executeTakeFirst();
  return row ? evalSummary(row) : undefined;
}

function evalSummary(row: Selectable<EvalRunTable>): EvalSummary {
  return EvalSummary.parse({
    evalId: row.eval_id,
    routineId: row.routine_id,
    version: row.routine_version,
    datasetId: row.dataset_id,
    datasetVersion: row.dataset_version,
    toolPolicy: row.tool_policy,
    status: row.status,
    score: row.score,
    caseCount: row.case_count,
    passedCount: row.passed_count,
    usage: row.usage,
    latencyMs: { p50: row.latency_p50_ms, p95: row.latency_p95_ms },
    error: row.error,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  });
}

function storedCase(row: Selectable<EvalCaseTable>): StoredEvalCase {
  return StoredEvalCase.parse({
    ordinal: row.ordinal,
    runId: row.run_id,
    input: row.input,
    output: row.output,
    expected: row.expected,
    score: row.score,
    passed: row.passed,
    reasons: row.reasons,
    latencyMs: row.latency_ms,
    usage: row.usage,
    ...(row.error === null ? {} : { error: row.error }),
  });
}
