import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * Evaluation: a routine version's scorers, scores on runs (live sampling, eval runs, people's
 * feedback, approval and user-task decisions), versioned datasets, and eval runs with their cases.
 *
 * Every new table is a tenant table, under the same row-level security as migration 0009: the role
 * `swarmflow_tenant` sees and writes only the rows of the tenant named in `swarmflow.tenant`.
 *
 * Rows written by activities have ids that the writer derives from the work (an eval's workflow id
 * and the case's ordinal, a run id and the scorer's name), so a retried write changes nothing.
 */

const role = 'swarmflow_tenant';
const tenantRows = sql`tenant_id = current_setting('swarmflow.tenant', true)`;
const tables = ['run_scores', 'datasets', 'dataset_versions', 'dataset_cases', 'eval_runs', 'eval_cases'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('routine_versions').addColumn('evaluation', 'jsonb').execute();
  // The mean of the run's latest live scores; null until it is scored.
  await db.schema.alterTable('runs').addColumn('score', 'double precision').execute();

  await db.schema
    .createTable('run_scores')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('run_id', 'text', (col) => col.notNull())
    .addColumn('routine_id', 'text', (col) => col.notNull())
    .addColumn('routine_version', 'integer', (col) => col.notNull())
    .addColumn('source', 'text', (col) =>
      col.notNull().check(sql`source in ('live', 'eval', 'feedback', 'approval', 'userTask')`),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('score', 'double precision', (col) => col.notNull().check(sql`score >= 0 and score <= 1`))
    .addColumn('reason', 'text')
    .addColumn('given_by', 'text')
    .addColumn('details', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('run_scores_run').on('run_scores').columns(['tenant_id', 'run_id']).execute();
  await db.schema
    .createIndex('run_scores_routine')
    .on('run_scores')
    .columns(['tenant_id', 'routine_id', 'routine_version', 'created_at'])
    .execute();

  await db.schema
    .createTable('datasets')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('routine_id', 'text')
    .addColumn('latest_version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('datasets_pkey', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createTable('dataset_versions')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('dataset_id', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('origin', 'jsonb', (col) => col.notNull())
    .addColumn('case_count', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('dataset_versions_pkey', ['tenant_id', 'dataset_id', 'version'])
    .addForeignKeyConstraint('dataset_versions_dataset', ['tenant_id', 'dataset_id'], 'datasets', [
      'tenant_id',
      'id',
    ])
    .execute();
  await db.schema
    .createTable('dataset_cases')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('dataset_id', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('ordinal', 'integer', (col) => col.notNull())
    .addColumn('input', 'jsonb', (col) => col.notNull())
    .addColumn('expected', 'jsonb')
    .addColumn('tags', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('split', 'text', (col) => col.check(sql`split in ('train', 'validation')`))
    .addColumn('source_run_id', 'text')
    .addPrimaryKeyConstraint('dataset_cases_pkey', ['tenant_id', 'dataset_id', 'version', 'ordinal'])
    .addForeignKeyConstraint(
      'dataset_cases_version',
      ['tenant_id', 'dataset_id', 'version'],
      'dataset_versions',
      ['tenant_id', 'dataset_id', 'version'],
    )
    .execute();

  await db.schema
    .createTable('eval_runs')
    .addColumn('eval_id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('routine_id', 'text', (col) => col.notNull())
    .addColumn('routine_version', 'integer', (col) => col.notNull())
    .addColumn('dataset_id', 'text')
    .addColumn('dataset_version', 'integer')
    .addColumn('tool_policy', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('running', 'completed', 'failed')`),
    )
    .addColumn('score', 'double precision')
    .addColumn('case_count', 'integer', (col) => col.notNull())
    .addColumn('passed_count', 'integer')
    .addColumn('usage', 'jsonb')
    .addColumn('latency_p50_ms', 'integer')
    .addColumn('latency_p95_ms', 'integer')
    .addColumn('error', 'jsonb')
    .addColumn('started_by', 'text')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('eval_runs_routine')
    .on('eval_runs')
    .columns(['tenant_id', 'routine_id', 'routine_version', 'started_at'])
    .execute();
  await db.schema
    .createTable('eval_cases')
    .addColumn('eval_id', 'text', (col) => col.notNull().references('eval_runs.eval_id'))
    .addColumn('ordinal', 'integer', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('run_id', 'text')
    .addColumn('input', 'jsonb', (col) => col.notNull())
    .addColumn('expected', 'jsonb')
    .addColumn('output', 'jsonb')
    .addColumn('score', 'double precision', (col) => col.notNull())
    .addColumn('passed', 'boolean', (col) => col.notNull())
    .addColumn('reasons', 'jsonb', (col) => col.notNull())
    .addColumn('latency_ms', 'integer')
    .addColumn('usage', 'jsonb')
    .addColumn('error', 'jsonb')
    .addPrimaryKeyConstraint('eval_cases_pkey', ['eval_id', 'ordinal'])
    .execute();

  for (const table of tables) {
    await sql`grant select, insert, update, delete on ${sql.table(table)} to ${sql.id(role)}`.execute(db);
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`
      create policy tenant_isolation on ${sql.table(table)} for all to ${sql.id(role)}
      using (${tenantRows}) with check (${tenantRows})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [...tables].reverse()) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('runs').dropColumn('score').execute();
  await db.schema.alterTable('routine_versions').dropColumn('evaluation').execute();
}
