import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_tasks')
    .addColumn('run_id', 'text', (col) => col.notNull())
    .addColumn('task_key', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('element_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('assignee', 'text')
    .addColumn('candidate_groups', 'jsonb', (col) => col.notNull())
    .addColumn('due_date', 'timestamptz')
    .addColumn('form_key', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('open', 'completed', 'cancelled')`),
    )
    .addColumn('variables', 'jsonb', (col) => col.notNull())
    .addColumn('output', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('user_tasks_pkey', ['run_id', 'task_key'])
    .execute();
  await db.schema
    .createIndex('user_tasks_tenant_status_idx')
    .on('user_tasks')
    .columns(['tenant_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_tasks').execute();
}
