import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * Routine versions gain a life cycle (draft, candidate, active, retired) and a lineage; each routine
 * names its active version, which runs without an explicit version start; the improvement loop's
 * proposals wait in their own table for a person's decision.
 *
 * Existing versions were each active once, in turn: the latest stays active, the older ones are retired,
 * and each was activated when it was created (so a rollback goes to the version before).
 */

const role = 'swarmflow_tenant';
const tenantRows = sql`tenant_id = current_setting('swarmflow.tenant', true)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('routine_versions')
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('active').check(sql`status in ('draft', 'candidate', 'active', 'retired')`),
    )
    .addColumn('parent_version', 'integer')
    // { optimizer, change, evidence, evalIds, cycleId }: where a proposed version came from.
    .addColumn('lineage', 'jsonb')
    // The definition as registered, so that optimizers can start from it; null for older rows.
    .addColumn('definition', 'jsonb')
    .addColumn('improvement', 'jsonb')
    .addColumn('activated_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('routines')
    .addColumn('active_version', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`update routines set active_version = latest_version`.execute(db);
  await sql`
    update routine_versions v set activated_at = v.created_at,
      status = case when v.version = r.latest_version then 'active' else 'retired' end
    from routines r where r.tenant_id = v.tenant_id and r.id = v.routine_id`.execute(db);

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('routine_id', 'text', (col) => col.notNull())
    .addColumn('cycle_id', 'text', (col) => col.notNull())
    .addColumn('candidate_version', 'integer', (col) => col.notNull())
    .addColumn('baseline_version', 'integer', (col) => col.notNull())
    .addColumn('optimizer', 'text', (col) => col.notNull())
    .addColumn('change', 'text', (col) => col.notNull())
    .addColumn('decision', 'text', (col) =>
      col.notNull().check(sql`decision in ('pending', 'approved', 'rejected', 'promoted', 'expired')`),
    )
    .addColumn('why', 'text', (col) => col.notNull())
    .addColumn('scores', 'jsonb', (col) => col.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('proposals_routine')
    .on('proposals')
    .columns(['tenant_id', 'routine_id', 'created_at'])
    .execute();
  await sql`grant select, insert, update, delete on proposals to ${sql.id(role)}`.execute(db);
  await sql`alter table proposals enable row level security`.execute(db);
  await sql`
    create policy tenant_isolation on proposals for all to ${sql.id(role)}
    using (${tenantRows}) with check (${tenantRows})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('proposals').execute();
  await db.schema.alterTable('routines').dropColumn('active_version').execute();
  await db.schema
    .alterTable('routine_versions')
    .dropColumn('status')
    .dropColumn('parent_version')
    .dropColumn('lineage')
    .dropColumn('definition')
    .dropColumn('improvement')
    .dropColumn('activated_at')
    .execute();
}
