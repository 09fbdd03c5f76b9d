import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`insert into tenants (id, name) values ('default', 'Default tenant')`.execute(db);

  await db.schema
    .createTable('routines')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('bpmn', 'sequence')`))
    .addColumn('latest_version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('routines_pkey', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('routine_versions')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('routine_id', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version > 0`))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('bpmn', 'sequence')`))
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('compiled', 'jsonb', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('input_schema', 'jsonb')
    .addColumn('output_schema', 'jsonb')
    .addColumn('limits', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('routine_versions_pkey', ['tenant_id', 'routine_id', 'version'])
    .addUniqueConstraint('routine_versions_hash_key', ['tenant_id', 'routine_id', 'hash'])
    .addForeignKeyConstraint(
      'routine_versions_routine_fkey',
      ['tenant_id', 'routine_id'],
      'routines',
      ['tenant_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('run_id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('routine_id', 'text', (col) => col.notNull())
    .addColumn('routine_version', 'integer', (col) => col.notNull())
    .addColumn('process_id', 'text', (col) => col.notNull())
    .addColumn('workflow_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('input', 'jsonb', (col) => col.notNull())
    .addColumn('outputs', 'jsonb')
    .addColumn('trace', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('runs_tenant_started_idx')
    .on('runs')
    .columns(['tenant_id', 'started_at desc'])
    .execute();
  await db.schema
    .createIndex('runs_tenant_routine_idx')
    .on('runs')
    .columns(['tenant_id', 'routine_id'])
    .execute();

  await db.schema
    .createTable('run_steps')
    .addColumn('run_id', 'text', (col) => col.notNull())
    .addColumn('step_key', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('element_id', 'text', (col) => col.notNull())
    .addColumn('element_type', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull())
    .addColumn('ended_at', 'timestamptz', (col) => col.notNull())
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('output', 'jsonb')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('run_steps_pkey', ['run_id', 'step_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['run_steps', 'runs', 'routine_versions', 'routines', 'tenants']) {
    await db.schema.dropTable(table).execute();
  }
}
