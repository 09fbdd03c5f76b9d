import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * The knowledge base takes a sixth kind, `proposal`: an improvement cycle's proposal (routine,
 * versions, optimizer, change, scores, decision and why), one entry per proposal kept up to date as
 * its decision changes, so agents and other swarms find what worked and what did not.
 */

const before = ['routine', 'agent', 'swarmResult', 'runSummary', 'document'];
const after = [...before, 'proposal'];

const kindCheck = (kinds: string[]) =>
  sql`alter table knowledge add constraint knowledge_kind_check check (kind in (${sql.join(
    kinds.map((kind) => sql.lit(kind)),
  )}))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table knowledge drop constraint if exists knowledge_kind_check`.execute(db);
  await kindCheck(after).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from knowledge where kind = 'proposal'`.execute(db);
  await sql`alter table knowledge drop constraint if exists knowledge_kind_check`.execute(db);
  await kindCheck(before).execute(db);
}
