import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { TenantId } from '../../schema/identity.ts';
import { parseInput } from '../../schema/validation.ts';
import { createPool } from './database.ts';
import { tenantRole, tenantSetting } from './tenant-scope.ts';

/**
 * Database access for one tenant at a time, as the API server acts for its callers: every
 * statement runs in a transaction that takes the `swarmflow_tenant` role and names the tenant
 * (migration 0009's row-level security), so a query that forgets its tenant filter still sees
 * and changes only that tenant's rows. A statement outside a transaction gets one of its own
 * (begin, scope, statement, commit); a Kysely transaction is scoped once, after its `begin`.
 * Both settings are transaction-local, so nothing outlives the statement: this holds on the
 * embedded PGlite server too, which runs every connection in one session.
 *
 * The pool is its own; workers and admin commands keep the owner's connections, which see every
 * tenant. API-key authentication and tenant administration use those, as they precede a tenant.
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
    const tenant = parseInput(TenantId, tenantId, 'tenant id');
    let db = this.byTenant.get(tenant);
    if (!db) {
      const pool = this.pool;
      // Kysely instances share the pool; only close() ends it.
      db = new Kysely<Database>({
        dialect: new TenantDialect(tenantScope(tenant), {
          pool: { connect: () => pool.connect(), end: async () => {} },
        }),
      });
      this.byTenant.set(tenant, db);
    }
    return db;
  }

  async close(): Promise<void> {
    this.byTenant.clear();
    await this.pool.end();
  }
}

/** The statement that makes a transaction the tenant's: the role and the tenant, both transaction-local. */
function tenantScope(tenantId: string): CompiledQuery {
  return CompiledQuery.raw('select set_config($1, $2, true), set_config($3, $4, true)', [
    'role',
    tenantRole,
    tenantSetting,
    tenantId,
  ]);
}

const begin = CompiledQuery.raw('begin');
const commit = CompiledQuery.raw('commit');
const rollback = CompiledQuery.raw('rollback');

class TenantDialect extends PostgresDialect {
  constructor(
    private readonly scope: CompiledQuery,
    config: ConstructorParameters<typeof PostgresDialect>[0],
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new TenantDriver(super.createDriver(), this.scope);
  }
}

/** PostgreSQL's driver, with every transaction scoped to the tenant and every lone statement in a transaction. */
class TenantDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly scope: CompiledQuery,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TenantConnection(await this.inner.acquireConnection(), this.scope);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const tenant = connection as TenantConnection;
    await this.inner.beginTransaction(tenant.inner, settings);
    await tenant.inner.executeQuery(this.scope);
    tenant.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tenant = connection as TenantConnection;
    tenant.inTransaction = false;
    await this.inner.commitTransaction(tenant.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const tenant = connection as TenantConnection;
    tenant.inTransaction = false;
    await this.inner.rollbackTransaction(tenant.inner);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as TenantConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class TenantConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly scope: CompiledQuery,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return this.inner.executeQuery<R>(query);
    await this.inner.executeQuery(begin);
    try {
      await this.inner.executeQuery(this.scope);
      const result = await this.inner.executeQuery<R>(query);
      await this.inner.executeQuery(commit);
      return result;
    } catch (error) {
      await this.inner.executeQuery(rollback).catch(() => {});
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (!this.inTransaction)
      throw new Error('stream tenant queries inside a transaction, where the tenant scope holds');
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
