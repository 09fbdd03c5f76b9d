import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { TenantId } from '../../schema/identity.ts';
import { parseInput } from '../../schema/validation.ts';
import { createPool } from './database.ts';

/** The role tenant connections act as: row-level security policies (migration 0009) filter it to one tenant. */
export const tenantRole = 'swarmflow_tenant';
/** The setting the policies compare each row's `tenant_id` with. */
export const tenantSetting = 'swarmflow.tenant';

/**
 * Database access for one tenant at a time, as the API server acts for its callers. Every time a
 * query or transaction takes a connection from the pool, the connection becomes the
 * `swarmflow_tenant` role with `swarmflow.tenant` set to the tenant, so PostgreSQL's row-level
 * security returns and accepts that tenant's rows only: a query that forgets its tenant filter
 * still cannot see another tenant. The pool is its own; workers and admin commands keep the
 * owner's connections, which see every tenant.
 */
export class TenantDatabases {
  private readonly pool;
  private readonly byTenant = new Map<string, Kysely<Database>>();

  constructor(url: string) {
    this.pool = createPool(url);
  }

  /**
   * The database as `tenantId` sees it.
   * @throws ValidationError when `tenantId` is not a tenant id.
   */
  forTenant(tenantId: string): Kysely<Database> {
    parseInput(TenantId, tenantId, 'tenant id');
    let db = this.byTenant.get(tenantId);
    if (!db) {
      const scope = CompiledQuery.raw(`select set_config('role', $1, false), set_config($2, $3, false)`, [
        tenantRole,
        tenantSetting,
        tenantId,
      ]);
      // Kysely instances share the pool; only close() ends it.
      const pool = this.pool;
      db = new Kysely<Database>({
        dialect: new PostgresDialect({
          pool: { connect: () => pool.connect(), end: async () => {} },
          onReserveConnection: async (connection) => {
            await connection.executeQuery(scope);
          },
        }),
      });
      this.byTenant.set(tenantId, db);
    }
    return db;
  }

  async close(): Promise<void> {
    this.byTenant.clear();
    await this.pool.end();
  }
}
