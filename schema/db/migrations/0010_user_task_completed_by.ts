import type { Kysely } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/** Who completed a user task, as the API server authenticated them; null from operator-side callers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_tasks').addColumn('completed_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_tasks').dropColumn('completed_by').execute();
}
