import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { SwarmflowConfig } from '../../schema/config.ts';
import type { Database } from '../../schema/db/tables.ts';
import { type EmbeddedDatabaseLease, leaseEmbeddedDatabase } from './embedded-home.ts';
import { embeddedServerFilePath } from './embedded-server-file.ts';
import { DatabaseUnavailableError } from './errors.ts';
import { migrateToLatest } from './migrate.ts';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The connection URL; it may hold a password, so never print it. */
  url: string;
  /** Closes the connections, and stops the embedded server if this handle started it. */
  close(): Promise<void>;
}

const connectionTimeoutMs = 10_000;
const serverHint =
  'check that PostgreSQL runs there and that DATABASE_URL names the right host, port, database, user and password';

/**
 * Opens the configured database, migrated to the latest schema: the server at
 * `config.databaseUrl`, else the embedded PGlite database in `<config.home>/pgdata`, shared
 * with the process that already serves it or served from this one.
 */
export function openDatabase(config: SwarmflowConfig): Promise<DatabaseHandle> {
  return config.databaseUrl ? connectDatabase(config.databaseUrl) : openEmbeddedDatabase(config.home);
}

/** Connects to the PostgreSQL server at `url` and migrates it; DatabaseUnavailableError when it does not answer. */
export async function connectDatabase(url: string, hint = serverHint): Promise<DatabaseHandle> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(url) }) });
  try {
    await sql`select 1`.execute(db).catch((cause: unknown) => {
      throw new DatabaseUnavailableError(serverAddress(url), hint, { cause });
    });
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, url, close: () => db.destroy() };
}

async function openEmbeddedDatabase(home: string): Promise<DatabaseHandle> {
  const lease = await leaseEmbeddedDatabase(home);
  try {
    const handle = await connectDatabase(lease.url, embeddedHint(home, lease));
    return {
      ...handle,
      async close() {
        await handle.close();
        await lease.release();
      },
    };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** A `pg` pool for `url` whose bigints are numbers and whose lost connections never crash the process. */
export function createPool(url: string): pg.Pool {
  const types = new pg.TypeOverrides();
  // int8 (count(*), bigint columns) arrives as text by default; the table types say number.
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({
    connectionString: url,
    types,
    connectionTimeoutMillis: connectionTimeoutMs,
    keepAlive: true,
  });
  // A client lost its server (a restart, the embedded server stopping, pg_terminate_backend, a
  // network cut). Idle, the pool reports it here and drops the client. Checked out, between two
  // statements of a transaction, the client itself emits 'error' (its next statement then fails,
  // and the pool drops it on release). Unhandled, either 'error' event would crash the process;
  // what the caller sees is the failed statement, which activities retry.
  pool.on('error', ignoreLostConnection);
  pool.on('connect', (client) => client.on('error', ignoreLostConnection));
  return pool;
}

/** The statement that failed on the lost connection reports it; the event adds nothing. */
function ignoreLostConnection(): void {}

/** `host:port` of a connection URL, without the user or password. */
export function serverAddress(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname || 'localhost'}:${port || 5432}`;
}

function embeddedHint(home: string, lease: EmbeddedDatabaseLease): string {
  const file = embeddedServerFilePath(home);
  return `check that process ${lease.servedBy.pid}, named in ${file}, is Swarmflow's embedded database server; if it is not, stop it or delete ${file}`;
}
