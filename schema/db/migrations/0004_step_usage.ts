import type { Kysely } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/** What each step used, and for an LLM step which strategy ran, why, its model, turns and tool calls. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('run_steps')
    .addColumn('usage', 'jsonb')
    .addColumn('strategy', 'text')
    .addColumn('strategy_reason', 'text')
    .addColumn('model', 'text')
    .addColumn('turns', 'integer')
    .addColumn('tool_calls', 'integer')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('run_steps')
    .dropColumn('usage')
    .dropColumn('strategy')
    .dropColumn('strategy_reason')
    .dropColumn('model')
    .dropColumn('turns')
    .dropColumn('tool_calls')
    .execute();
}
