import type { Kysely } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * An LLM step's input, as a fingerprint of the messages its model was first sent (system and user
 * prompt, rendered): two steps with the same fingerprint asked the same thing. Insights use it to
 * find LLM steps whose output is a function of their input. Null for other steps and older rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_steps').addColumn('input_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_steps').dropColumn('input_hash').execute();
}
