import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../activities/store/audit-log.ts';
import { connectDatabase } from '../../../activities/store/database.ts';
import { MigrationError } from '../../../activities/store/errors.ts';
import {
  TenantRoleUnavailableError,
  tenantRole,
  withTenant,
} from '../../../activities/store/tenant-scope.ts';
import type { Database } from '../../../schema/db/tables.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { storeBackends } from './backends.ts';
import { rowTenant, tenantRowWriters, tenantTables, writeTenantRows } from './tenant-rows.ts';

type Row = Record<string, unknown>;

/** Every row of `table`, with no filter at all: what a query that forgot its tenant would read. */
const everyRow = (db: Kysely<Database>, table: keyof Database) =>
  db.selectFrom(table).selectAll().execute() as Promise<Row[]>;

const sortedJson = (rows: Row[]) => rows.map((row) => JSON.stringify(row)).sort();

/** Tables the tenant role may insert into, update and delete from, as the API server does for a caller. */
const writableTables = tenantTables.filter(
  (table) => !['tenants', 'audit_log', 'audit_heads'].includes(table),
);

describe.each(storeBackends)('row-level security on $name', (backend) => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await backend.open());
  }, 120_000);
  afterAll(() => drop?.());

  /** Two tenants, `<name>-a` and `<name>-b`, each with one row in every table, written as the owner. */
  async function twoTenants(name: string): Promise<[string, string]> {
    const tenants: [string, string] = [`${name}-a`, `${name}-b`];
    for (const tenant of tenants) await writeTenantRows(db, tenant);
    return tenants;
  }

  it('enables row-level security on every table of the schema', async () => {
    const { rows } = await sql<{ table: string; rls: boolean; forced: boolean }>`
      select relname as table, relrowsecurity as rls, relforcerowsecurity as forced
      from pg_class
      where relnamespace = current_schema()::regnamespace and relkind = 'r' and relname not like 'kysely_%'
      order by relname`.execute(db);
    expect(rows.map((row) => row.table)).toEqual([...tenantTables].sort());
    expect(rows.filter((row) => !row.rls || row.forced)).toEqual([]);
  });

  it('shows a tenant only its own rows of every table, with no where clause; the owner sees all', async () => {
    const [a, b] = await twoTenants('read');
    for (const table of tenantTables) {
      const all = await everyRow(db, table);
      const ofA = all.filter((row) => rowTenant(table, row) === a);
      expect(ofA, table).toHaveLength(1);
      expect(
        all.filter((row) => rowTenant(table, row) === b),
        table,
      ).toHaveLength(1);
      const seen = await withTenant(db, a, (trx) => everyRow(trx, table));
      expect(sortedJson(seen), table).toEqual(sortedJson(ofA));
    }
  });

  it('updates and deletes only the tenant rows when a statement has no where clause', async () => {
    const [a, b] = await twoTenants('write');
    await withTenant(db, a, async (trx) => {
      const updated = await trx.updateTable('runs').set({ status: 'cancelled' }).executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      await trx.updateTable('swarm_subtasks').set({ status: 'done' }).execute();
    });
    const status = async (tenant: string) => ({
      run: (await db.selectFrom('runs').select('status').where('tenant_id', '=', tenant).executeTakeFirst())
        ?.status,
      subtask: (
        await db
          .selectFrom('swarm_subtasks')
          .select('status')
          .where('swarm_id', '=', `swarm-${tenant}`)
          .executeTakeFirst()
      )?.status,
    });
    expect(await status(a)).toEqual({ run: 'cancelled', subtask: 'done' });
    expect(await status(b)).toEqual({ run: 'running', subtask: 'todo' });

    await withTenant(db, a, async (trx) => {
      for (const table of [...writableTables].reverse()) await trx.deleteFrom(table).execute();
    });
    for (const table of writableTables) {
      const tenants = (await everyRow(db, table)).map((row) => rowTenant(table, row));
      expect(tenants, table).not.toContain(a);
      expect(tenants, table).toContain(b);
    }
  });

  it("refuses to insert another tenant's row into any table", async () => {
    const [a, b] = ['insert-a', 'insert-b'];
    await tenantRowWriters.tenants(db, a);
    await tenantRowWriters.tenants(db, b);
    for (const table of tenantTables) {
      const refused = withTenant(db, a, (trx) => tenantRowWriters[table](trx, b));
      await expect(refused, table).rejects.toThrow(
        table === 'tenants' ? /permission denied for table tenants/ : /violates row-level security policy/,
      );
    }
  });

  it('refuses to move a row to another tenant', async () => {
    const [a, b] = await twoTenants('move');
    const moved = withTenant(db, a, (trx) => trx.updateTable('agents').set({ tenant_id: b }).execute());
    await expect(moved).rejects.toThrow(/violates row-level security policy/);
  });

  it('shows nothing under the role when no tenant is named', async () => {
    await twoTenants('none');
    for (const named of [null, '']) {
      const seen = await db.transaction().execute(async (trx) => {
        await sql`set local role ${sql.id(tenantRole)}`.execute(trx);
        if (named !== null) await sql`select set_config('swarmflow.tenant', ${named}, true)`.execute(trx);
        const counts: Row = {};
        for (const table of tenantTables) counts[table] = (await everyRow(trx, table)).length;
        return counts;
      });
      expect(Object.values(seen), String(named)).toEqual(tenantTables.map(() => 0));
    }
  });

  it('leaves the pooled connections as they were: the owner sees every tenant after a scoped transaction', async () => {
    const [a, b] = await twoTenants('after');
    await Promise.all(Array.from({ length: 4 }, () => withTenant(db, a, (trx) => everyRow(trx, 'runs'))));
    const runs = await Promise.all(Array.from({ length: 4 }, () => everyRow(db, 'runs')));
    for (const seen of runs) expect(seen.map((row) => row.tenant_id)).toEqual(expect.arrayContaining([a, b]));
    const { rows } = await sql<{ user: string; tenant: string | null }>`
      select current_user as user, current_setting('swarmflow.tenant', true) as tenant`.execute(db);
    expect(rows[0]?.user).not.toBe(tenantRole);
    expect(rows[0]?.tenant || null).toBeNull();
  });

  it('appends to and verifies a tenant audit chain inside its scope, and sees no other chain', async () => {
    const [a, b] = ['audit-a', 'audit-b'];
    await new AuditLog(db).append(auditEntry(b));
    const appended = await withTenant(db, a, async (trx) => {
      const log = new AuditLog(trx);
      await log.append(auditEntry(a));
      return log.append(auditEntry(a));
    });
    expect(appended).toMatchObject({ tenant: a, tenantSeq: 2 });
    expect(await withTenant(db, a, (trx) => new AuditLog(trx).verify())).toEqual({
      ok: true,
      entries: 2,
      tenants: 1,
    });
    const owner = new AuditLog(db);
    expect(await owner.verify(a)).toEqual({ ok: true, entries: 2, tenants: 1 });
    expect(await owner.verify(b)).toEqual({ ok: true, entries: 1, tenants: 1 });
  });

  it('rolls back when the work throws', async () => {
    const [a] = await twoTenants('rollback');
    const failed = withTenant(db, a, async (trx) => {
      await trx.deleteFrom('agents').execute();
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    expect(await db.selectFrom('agents').select('id').where('tenant_id', '=', a).execute()).toHaveLength(1);
  });

  it('refuses an invalid tenant id before touching the database, and a transaction for db', async () => {
    await expect(withTenant(db, "a' or true --", async () => 1)).rejects.toThrow(ValidationError);
    await expect(withTenant(db, '', async () => 1)).rejects.toThrow(ValidationError);
    await expect(
      db.transaction().execute((trx) => withTenant(trx, 'default', async () => 1)),
    ).rejects.toThrow(/opens its own transaction/);
  });
});

describe('a database user that is not a member of the tenant role (PostgreSQL)', () => {
  const user = `swarmflow_outsider_${randomBytes(4).toString('hex')}`;
  const ownDatabase = `${user}_db`;
  let admin: TestDatabase;

  /** `url` with the outsider as its user and, when given, another database. */
  const outsiderUrl = (database?: string) => {
    const url = new URL(admin.url);
    url.username = user;
    if (database) url.pathname = `/${database}`;
    return url.toString();
  };

  beforeAll(async () => {
    admin = await createTestDatabase();
    await sql`create role ${sql.id(user)} login`.execute(admin.db);
  });
  afterAll(async () => {
    if (!admin) return;
    await sql`drop database if exists ${sql.id(ownDatabase)} with (force)`.execute(admin.db);
    await sql`drop role if exists ${sql.id(user)}`.execute(admin.db);
    await admin.drop();
  });

  it('cannot take the role: withTenant names the user and the GRANT that fixes it', async () => {
    const outsider = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: outsiderUrl() }) }),
    });
    try {
      const error = await withTenant(outsider, 'default', async () => 1).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TenantRoleUnavailableError);
      expect(error).toMatchObject({ user });
      expect((error as Error).message).toContain(`GRANT ${tenantRole} TO "${user}"`);
    } finally {
      await outsider.destroy();
    }
  });

  it('cannot migrate its own database until a superuser grants it the role, then is scoped', async () => {
    await sql`create database ${sql.id(ownDatabase)} owner ${sql.id(user)}`.execute(admin.db);
    const refused = await connectDatabase(outsiderUrl(ownDatabase)).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(MigrationError);
    expect((refused as Error).message).toContain(`a superuser must run: GRANT ${tenantRole} TO ${user}`);

    await sql`grant ${sql.id(tenantRole)} to ${sql.id(user)}`.execute(admin.db);
    // pgvector is not a trusted extension: a superuser creates it once (migration 0012 says so).
    const ownAdmin = new pg.Client({
      connectionString: Object.assign(new URL(admin.url), { pathname: `/${ownDatabase}` }).toString(),
    });
    await ownAdmin.connect();
    await ownAdmin.query('create extension if not exists vector').finally(() => ownAdmin.end());
    const handle = await connectDatabase(outsiderUrl(ownDatabase));
    try {
      await writeTenantRows(handle.db, 'own-a');
      await writeTenantRows(handle.db, 'own-b');
      const seen = await withTenant(handle.db, 'own-a', (trx) => everyRow(trx, 'agents'));
      expect(seen.map((row) => row.tenant_id)).toEqual(['own-a']);
    } finally {
      await handle.close();
    }
  });
});

function auditEntry(tenant: string) {
  return {
    tenant,
    actor: { kind: 'api-key' as const, id: 'key_ops' },
    action: 'runs.start',
    target: { kind: 'run', id: 'run-1' },
    outcome: 'ok' as const,
    details: {},
  };
}
