import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/** The agent catalog, and the read models of swarms: their rows, subtasks and full transcripts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('model', 'text')
    .addColumn('system_prompt', 'text')
    .addColumn('skills', 'jsonb', (col) => col.notNull())
    .addColumn('tools', 'jsonb', (col) => col.notNull())
    .addColumn('routines', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('agents_pkey', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('swarms')
    .addColumn('swarm_id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('workflow_id', 'text', (col) => col.notNull())
    .addColumn('parent_swarm_id', 'text')
    .addColumn('root_swarm_id', 'text', (col) => col.notNull())
    .addColumn('depth', 'integer', (col) => col.notNull())
    .addColumn('goal', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('result', 'jsonb')
    .addColumn('usage', 'jsonb', (col) => col.notNull())
    .addColumn('team', 'jsonb', (col) => col.notNull())
    .addColumn('limits', 'jsonb', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('swarms_tenant_started_idx')
    .on('swarms')
    .columns(['tenant_id', 'started_at desc'])
    .execute();
  await db.schema.createIndex('swarms_parent_idx').on('swarms').column('parent_swarm_id').execute();

  await db.schema
    .createTable('swarm_subtasks')
    .addColumn('swarm_id', 'text', (col) => col.notNull().references('swarms.swarm_id').onDelete('cascade'))
    .addColumn('subtask_id', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('assignee', 'text')
    .addColumn('depends_on', 'jsonb', (col) => col.notNull())
    .addColumn('routine_id', 'text')
    .addColumn('input', 'jsonb')
    .addColumn('sub_swarm', 'jsonb')
    .addColumn('run_id', 'text')
    .addColumn('child_swarm_id', 'text')
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('swarm_subtasks_pkey', ['swarm_id', 'subtask_id'])
    .execute();

  // "sender" and "recipient" rather than the reserved words "from" and "to", so hand-written SQL needs no quotes.
  await db.schema
    .createTable('swarm_transcript')
    .addColumn('swarm_id', 'text', (col) => col.notNull())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('sender', 'text', (col) => col.notNull())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('swarm_transcript_pkey', ['swarm_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['swarm_transcript', 'swarm_subtasks', 'swarms', 'agents']) {
    await db.schema.dropTable(table).execute();
  }
}
