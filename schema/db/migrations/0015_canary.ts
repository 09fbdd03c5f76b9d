import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * Canary releases: a routine may name a candidate version that a share of its new runs start
 * (`canary_percent` of them, chosen by run id) while an improvement cycle watches its live
 * failures and scores against the active version's, since `canary_started_at`. A proposal whose
 * canary fell behind is `rolled_back`.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('routines')
    .addColumn('canary_version', 'integer')
    .addColumn('canary_percent', 'integer', (col) => col.check(sql`canary_percent between 1 and 99`))
    .addColumn('canary_started_at', 'timestamptz')
    .execute();
  await sql`alter table proposals drop constraint proposals_decision_check`.execute(db);
  await sql`
    alter table proposals add constraint proposals_decision_check
    check (decision in ('pending', 'approved', 'rejected', 'promoted', 'expired', 'rolled_back'))`.execute(
    db,
  );
  await db.schema
    .createIndex('runs_routine_version_started')
    .on('runs')
    .columns(['tenant_id', 'routine_id', 'routine_version', 'started_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('runs_routine_version_started').execute();
  await sql`delete from proposals where decision = 'rolled_back'`.execute(db);
  await sql`alter table proposals drop constraint proposals_decision_check`.execute(db);
  await sql`
    alter table proposals add constraint proposals_decision_check
    check (decision in ('pending', 'approved', 'rejected', 'promoted', 'expired'))`.execute(db);
  await db.schema
    .alterTable('routines')
    .dropColumn('canary_version')
    .dropColumn('canary_percent')
    .dropColumn('canary_started_at')
    .execute();
}
