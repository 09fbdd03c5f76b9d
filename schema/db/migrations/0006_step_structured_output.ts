import type { Kysely } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/** How an LLM step asked for its output schema: json_schema, tool or prompt; null when it had none. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_steps').addColumn('structured_output', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_steps').dropColumn('structured_output').execute();
}
