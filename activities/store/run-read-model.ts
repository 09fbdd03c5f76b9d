import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, RunStepTable, RunTable } from '../../schema/db/tables.ts';
import type { Variables } from '../../schema/json.ts';
import { type RunOutcome, RunRecord, type RunStatus, RunStepRecord, RunSummary } from '../../schema/run.ts';
import type { Usage } from '../../schema/usage.ts';
import { processMetrics } from '../metrics/process-metrics.ts';

/** What is known of a run when it starts. */
export interface RunStart {
  runId: string;
  tenantId: string;
  routineId: string;
  routineVersion: number;
  processId: string;
  workflowId: string;
  input: Variables;
}

export type StepRecordInput = Omit<RunStepRecord, 'output' | 'error'> & {
  output?: Variables;
  error?: string;
};

type LlmStepColumns = Pick<
  RunStepTable,
  'strategy' | 'strategy_reason' | 'model' | 'structured_output' | 'input_hash' | 'turns' | 'tool_calls'
>;

export interface RunFilter {
  routineId?: string;
  status?: RunStatus;
  /** 100 when omitted. */
  limit?: number;
}

const defaultListLimit = 100;

/** Records that a run started. Repeating it changes nothing: the first record stands, even after the run ended. */
export async function recordRunStarted(db: Kysely<Database>, run: RunStart): Promise<void> {
  const [inserted] = await db
    .insertInto('runs')
    .values({
      run_id: run.runId,
      tenant_id: run.tenantId,
      routine_id: run.routineId,
      routine_version: run.routineVersion,
      process_id: run.processId,
      workflow_id: run.workflowId,
      status: 'running',
      input: JSON.stringify(run.input),
    })
    .onConflict((conflict) => conflict.column('run_id').doNothing())
    .returning('run_id')
    .execute();
  if (inserted) processMetrics().runsStarted.inc({ routine: run.routineId });
}

/** Records how a run ended. Repeating it keeps the first end time. */
export async function recordRunEnded(db: Kysely<Database>, run: RunOutcome): Promise<void> {
  const ended = await db
    .updateTable('runs')
    .set({
      status: run.status,
      outputs: JSON.stringify(run.outputs),
      trace: JSON.stringify(run.trace),
      error: run.error ?? null,
      usage: run.usage === undefined ? null : JSON.stringify(run.usage),
      ended_at: sql<Date>`coalesce(ended_at, now())`,
      updated_at: sql<Date>`now()`,
    })
    .where('run_id', '=', run.runId)
    .returning('routine_id')
    .executeTakeFirst();
  if (!ended) throw new Error(`no run "${run.runId}" in the read model: record its start first`);
  processMetrics().runsEnded.inc({ routine: ended.routine_id, status: run.status });
}

/**
 * Records one step, keyed by (run, step key): a repeat (an activity retried after it wrote)
 * leaves one row, holding the latest attempt.
 */
export async function recordStep(db: Kysely<Database>, step: StepRecordInput): Promise<void> {
  await db
    .insertInto('run_steps')
    .values({
      run_id: step.runId,
      step_key: step.stepKey,
      tenant_id: step.tenantId,
      element_id: step.elementId,
      element_type: step.elementType,
      status: step.status,
      attempt: step.attempt,
      started_at: step.startedAt,
      ended_at: step.endedAt,
      duration_ms: step.durationMs,
      output: step.output === undefined ? null : JSON.stringify(step.output),
      error: step.error ?? null,
      usage: step.usage === undefined ? null : JSON.stringify(step.usage),
      ...llmColumns(step.llm),
    })
    .onConflict((conflict) =>
      conflict
        .columns(['run_id', 'step_key'])
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          attempt: eb.ref('excluded.attempt'),
          started_at: eb.ref('excluded.started_at'),
          ended_at: eb.ref('excluded.ended_at'),
          duration_ms: eb.ref('excluded.duration_ms'),
          output: eb.ref('excluded.output'),
          error: eb.ref('excluded.error'),
          usage: eb.ref('excluded.usage'),
          strategy: eb.ref('excluded.strategy'),
          strategy_reason: eb.ref('excluded.strategy_reason'),
          model: eb.ref('excluded.model'),
          structured_output: eb.ref('excluded.structured_output'),
          input_hash: eb.ref('excluded.input_hash'),
          turns: eb.ref('excluded.turns'),
          tool_calls: eb.ref('excluded.tool_calls'),
        }))
        // A late write from an earlier attempt must not replace a later one.
        .where('run_steps.attempt', '<=', (eb) => eb.ref('excluded.attempt')),
    )
    .execute();
}

function llmColumns(llm: RunStepRecord['llm']): LlmStepColumns {
  return {
    strategy: llm?.strategy ?? null,
    strategy_reason: llm?.reason ?? null,
    model: llm?.model ?? null,
    structured_output: llm?.structuredOutput ?? null,
    input_hash: llm?.inputHash ?? null,
    turns: llm?.turns ?? null,
    tool_calls: llm?.toolCalls ?? null,
  };
}

/** The run's record, or undefined when the read model has none. */
export async function getRun(db: Kysely<Database>, runId: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
  return row && toRunRecord(row);
}

/** The tenant's runs, most recent first. */
export async function listRuns(
  db: Kysely<Database>,
  tenantId: string,
  filter: RunFilter = {},
): Promise<RunSummary[]> {
  let query = db
    .selectFrom('runs')
    .select([
      'run_id',
      'tenant_id',
      'routine_id',
      'routine_version',
      'status',
      'started_at',
      'ended_at',
      'error',
      'score',
    ])
    .where('tenant_id', '=', tenantId);
  if (filter.routineId !== undefined) query = query.where('routine_id', '=', filter.routineId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('run_id')
    .limit(filter.limit ?? defaultListLimit)
    .execute();
  return rows.map(toRunSummary);
}

/** The run's steps in the order they started. */
export async function listSteps(db: Kysely<Database>, runId: string): Promise<RunStepRecord[]> {
  const rows = await db
    .selectFrom('run_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('started_at')
    .orderBy('step_key')
    .execute();
  return rows.map(toRunStepRecord);
}

type RunSummaryRow = Pick<
  Selectable<RunTable>,
  | 'run_id'
  | 'tenant_id'
  | 'routine_id'
  | 'routine_version'
  | 'status'
  | 'started_at'
  | 'ended_at'
  | 'error'
  | 'score'
>;

function toRunSummary(row: RunSummaryRow): RunSummary {
  return RunSummary.parse({
    runId: row.run_id,
    tenantId: row.tenant_id,
    routineId: row.routine_id,
    routineVersion: row.routine_version,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
    ...(row.score === null ? {} : { score: row.score }),
  });
}

function toRunRecord(row: Selectable<RunTable>): RunRecord {
  return RunRecord.parse({
    ...toRunSummary(row),
    processId: row.process_id,
    workflowId: row.workflow_id,
    input: row.input,
    outputs: row.outputs,
    trace: row.trace,
    usage: row.usage,
    updatedAt: row.updated_at,
  });
}

function toRunStepRecord(row: Selectable<RunStepTable>): RunStepRecord {
  return RunStepRecord.parse({
    runId: row.run_id,
    stepKey: row.step_key,
    tenantId: row.tenant_id,
    elementId: row.element_id,
    elementType: row.element_type,
    status: row.status,
    attempt: row.attempt,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    output: row.output,
    error: row.error,
    ...(row.usage === null ? {} : { usage: row.usage }),
    ...(row.strategy === null ? {} : { llm: llmStep(row) }),
  });
}

function llmStep(row: Selectable<RunStepTable>) {
  return {
    strategy: row.strategy,
    reason: row.strategy_reason,
    ...(row.model === null ? {} : { model: row.model }),
    ...(row.structured_output === null ? {} : { structuredOutput: row.structured_output }),
    ...(row.input_hash === null ? {} : { inputHash: row.input_hash }),
    turns: row.turns,
    toolCalls: row.tool_calls,
  };
}

/** A live run's status change, with what it has used so far. */
export interface RunStatusRecord {
  runId: string;
  status: RunStatus;
  error?: string;
  usage?: Usage;
}

/** Records a live run's status change (running ⇄ incident ⇄ paused) without ending it. */
export async function recordRunStatus(db: Kysely<Database>, run: RunStatusRecord): Promise<void> {
  const usage = run.usage === undefined ? {} : { usage: JSON.stringify(run.usage) };
  const { numUpdatedRows } = await db
    .updateTable('runs')
    .set({ status: run.status, error: run.error ?? null, ...usage, updated_at: sql<Date>`now()` })
    .where('run_id', '=', run.runId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (numUpdatedRows === 0n) return;
  if (run.status === 'incident') processMetrics().incidentsOpened.inc();
  if (run.status === 'paused') processMetrics().budgetsExhausted.inc({ scope: 'run' });
}
