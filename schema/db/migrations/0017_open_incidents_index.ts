import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * The `swarmflow_incidents_open` gauge counts the runs parked on an incident at every scrape, across
 * tenants: a partial index keeps that count small however many runs the table holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index runs_open_incidents on runs (tenant_id) where status = 'incident' and ended_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index runs_open_incidents`.execute(db);
}
