import type { Kysely } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/** What each run used (tokens, tool calls, wall time, credits), written with its status and at its end. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').addColumn('usage', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('runs').dropColumn('usage').execute();
}
