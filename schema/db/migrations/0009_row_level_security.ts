import { type Kysely, type RawBuilder, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * Row-level security: a query made for one tenant sees and changes only that tenant's rows, even
 * when it forgets its `where tenant_id = ...`.
 *
 * The API server runs each caller's queries in a transaction that takes the NOLOGIN role
 * `swarmflow_tenant` (`SET LOCAL ROLE`) and names the tenant in the setting `swarmflow.tenant`
 * (`set_config(..., true)`), see activities/store/tenant-scope.ts. For that role every tenant table
 * has a policy: a row is visible, and may be written, only when its tenant is the one named, both
 * in USING (which rows a read, update or delete sees) and in WITH CHECK (which rows an insert or
 * update may leave behind). With no tenant named, the setting is null or empty and the role sees
 * nothing: it fails closed.
 *
 * RLS is enabled, not forced: the table owner, as which the workers, the admin CLI and these
 * migrations connect, keeps seeing every row. Workers serve every tenant, and the steps that run
 * before a tenant is known (authenticating an API key, which looks the key up by its id; creating
 * and listing tenants) need the whole table. So the isolation is a role the tenant-facing code
 * takes, not a property of the connection; a superuser or a BYPASSRLS role sees everything too.
 *
 * The tables, and what the role may do there:
 * - every table with a `tenant_id` column: select, insert, update, delete. That includes api_keys,
 *   which migration 0007 meant to leave out since a key is looked up before its tenant is known:
 *   authentication still reads it as the owner, and a tenant's admin lists, creates and revokes
 *   its own keys through the role;
 * - `audit_log`: select and insert only, as its triggers (migration 0008) refuse the rest anyway;
 * - `audit_heads`: select, insert and update, which an append needs (it locks and moves the head);
 * - `swarm_subtasks` has no `tenant_id`: a subtask is its swarm's, so its policy asks for a swarm
 *   of the tenant with its `swarm_id` (an index lookup on the swarms' primary key);
 * - `tenants`: select of the tenant's own row (its quotas, whether it is disabled), nothing else.
 *
 * The role belongs to the cluster, not to one database, so it is created only when missing, and
 * a concurrent migration of another database creating it first is not an error. The migrating user
 * is granted the role (unless it already is a member, as a superuser always is), so that it can
 * `SET ROLE` to it. Without the right to create or grant roles, the migration fails and names what
 * a superuser has to run. `down` leaves the role, which other databases of the cluster may use.
 *
 * PGlite (the embedded database) is PostgreSQL compiled to WASM: roles, SET ROLE and policies
 * behave as on a server; its one user, `postgres`, is a superuser and owns the tables.
 */

const role = 'swarmflow_tenant';

/** The tenant named by the current transaction; null or empty when none is. */
const currentTenant = sql`current_setting('swarmflow.tenant', true)`;

const tenantRows = sql`tenant_id = ${currentTenant}`;
const readWrite = 'select, insert, update, delete';

interface ScopedTable {
  name: string;
  /** The privileges the role gets on the table, as SQL. */
  privileges: string;
  /** The policy: which rows are the current tenant's. */
  rows: RawBuilder<unknown>;
}

const scopedTables: ScopedTable[] = [
  ...[
    'api_keys',
    'routines',
    'routine_versions',
    'runs',
    'run_steps',
    'user_tasks',
    'agents',
    'swarms',
    'swarm_transcript',
  ].map((name) => ({ name, privileges: readWrite, rows: tenantRows })),
  {
    name: 'swarm_subtasks',
    privileges: readWrite,
    rows: sql`exists (
      select 1 from swarms
      where swarms.swarm_id = swarm_subtasks.swarm_id and swarms.tenant_id = ${currentTenant})`,
  },
  { name: 'audit_log', privileges: 'select, insert', rows: tenantRows },
  { name: 'audit_heads', privileges: 'select, insert, update', rows: tenantRows },
  { name: 'tenants', privileges: 'select', rows: sql`id = ${currentTenant}` },
];

/** Sequences behind the tables' serial columns, which an insert by the role draws from. */
const sequences = ['audit_log_seq_seq'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await createRole(db);
  await grantRoleToMigratingUser(db);
  await sql`grant usage on schema ${await currentSchema(db)} to ${sql.id(role)}`.execute(db);
  for (const sequence of sequences) {
    await sql`grant usage on sequence ${sql.table(sequence)} to ${sql.id(role)}`.execute(db);
  }
  for (const table of scopedTables) {
    await sql`grant ${sql.raw(table.privileges)} on ${sql.table(table.name)} to ${sql.id(role)}`.execute(db);
    await sql`alter table ${sql.table(table.name)} enable row level security`.execute(db);
    await sql`
      create policy tenant_isolation on ${sql.table(table.name)} for all to ${sql.id(role)}
      using (${table.rows}) with check (${table.rows})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of scopedTables) {
    await sql`drop policy tenant_isolation on ${sql.table(table.name)}`.execute(db);
    await sql`alter table ${sql.table(table.name)} disable row level security`.execute(db);
    await sql`revoke all on ${sql.table(table.name)} from ${sql.id(role)}`.execute(db);
  }
  for (const sequence of sequences) {
    await sql`revoke all on sequence ${sql.table(sequence)} from ${sql.id(role)}`.execute(db);
  }
  await sql`revoke usage on schema ${await currentSchema(db)} from ${sql.id(role)}`.execute(db);
}

/**
 * Creates the role unless it exists. Another database of the cluster migrating at the same time may
 * create it between the check and the create: PostgreSQL then reports `duplicate_object`, or
 * `unique_violation` when it waited on the other's uncommitted row.
 */
async function createRole(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = ${sql.lit(role)}) then
        create role ${sql.id(role)} nologin;
      end if;
    exception
      when duplicate_object or unique_violation then null;
      when insufficient_privilege then
        raise exception 'cannot create the role ${sql.raw(role)} (%); a superuser must run: '
          'CREATE ROLE ${sql.raw(role)} NOLOGIN; GRANT ${sql.raw(role)} TO %', sqlerrm, quote_ident(current_user)
          using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
}

/** Makes the migrating user a member of the role, so that it may SET ROLE to it; the same race as createRole. */
async function grantRoleToMigratingUser(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not pg_has_role(current_user, ${sql.lit(role)}, 'member') then
        execute format('grant ${sql.raw(role)} to %I', current_user);
      end if;
    exception
      when unique_violation then null;
      when insufficient_privilege then
        raise exception 'cannot grant the role ${sql.raw(role)} to % (%); a superuser must run: '
          'GRANT ${sql.raw(role)} TO %', current_user, sqlerrm, quote_ident(current_user)
          using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
}

/** The schema the migrations create their tables in. */
async function currentSchema(db: Kysely<unknown>) {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('no current schema to grant the role usage of');
  return sql.id(schema);
}
