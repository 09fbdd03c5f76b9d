import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { TenantId } from '../../schema/identity.ts';
import { parseInput } from '../../schema/validation.ts';
import { describeCause } from './errors.ts';

/** The NOLOGIN role whose row-level security policies scope every tenant table (migration 0009). */
export const tenantRole = 'swarmflow_tenant';

/** The setting those policies read the current tenant from. */
export const tenantSetting = 'swarmflow.tenant';

/** Errors of SET ROLE: the user is not a member of the role, or the role does not exist. */
const insufficientPrivilege = '42501';
const undefinedObject = '42704';

/** The SQLSTATE of a database error. */
const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

const isRoleRefusal = (error: unknown) =>
  errorCode(error) === insufficientPrivilege || errorCode(error) === undefinedObject;

/** The database user cannot take the tenant role, so no query can be scoped to a tenant. */
export class TenantRoleUnavailableError extends Error {
  override readonly name = 'TenantRoleUnavailableError';
  constructor(
    /** The database user that tried, or undefined when it could not be asked. */
    readonly user: string | undefined,
    options: { cause: unknown },
  ) {
    const who = user === undefined ? 'the database user' : `the database user "${user}"`;
    const fix =
      errorCode(options.cause) === undefinedObject
        ? `the role does not exist: migrate the database (migration 0009 creates it)`
        : `a superuser must run: GRANT ${tenantRole} TO ${user === undefined ? '<the user of DATABASE_URL>' : `"${user}"`}`;
    super(`${who} cannot SET ROLE ${tenantRole} (${describeCause(options.cause)}); ${fix}`, options);
  }
}

/**
 * Runs `fn` in a transaction that sees and changes only `tenantId`'s rows: the transaction takes
 * the role `swarmflow_tenant` (`SET LOCAL ROLE`) and names the tenant in `swarmflow.tenant`, and
 * the row-level security policies of every tenant table (migration 0009) do the rest. A query in
 * `fn` that forgets its `where tenant_id = ...` still returns no other tenant's row, an update or
 * delete without a filter touches only the tenant's rows, and an insert of another tenant's row is
 * refused. The role and the setting end with the transaction, so the pooled connection goes back
 * as it came. Commits when `fn` resolves, rolls back when it throws.
 *
 * Everything the API server does for an authenticated caller goes through here. What runs before
 * a tenant is known must not: authenticating an API key (it looks the key up by its id, across
 * tenants), and administering tenants (creating, listing, disabling them). Those, the workers
 * (which serve every tenant) and the admin CLI use `db` itself, as the tables' owner, which row
 * level security does not restrict.
 *
 * Throws
 * - ValidationError when `tenantId` is not a valid tenant id (see TenantId), before touching the database;
 * - TenantRoleUnavailableError when the database user cannot take the role: it is not a member
 *   (`GRANT swarmflow_tenant TO <user>` fixes it; the migration grants it to the user that migrates),
 *   or the database is not migrated;
 * - an Error when `db` is already a transaction: the role would outlive `fn` in the caller's transaction;
 * - whatever `fn` throws, or the database error of a refused statement (a row of another tenant
 *   written is `new row violates row-level security policy`, code 42501), after rolling back.
 */
export async function withTenant<T>(
  db: Kysely<Database>,
  tenantId: string,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const tenant = parseInput(TenantId, tenantId, 'tenant id');
  if (db.isTransaction) {
    throw new Error('withTenant opens its own transaction: call it with the database, not a transaction');
  }
  let refusal: unknown;
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`set local role ${sql.id(tenantRole)}`.execute(trx).catch((error: unknown) => {
        if (isRoleRefusal(error)) refusal = error;
        throw error;
      });
      await sql`select set_config(${tenantSetting}, ${tenant}, true)`.execute(trx);
      return fn(trx);
    });
  } catch (error) {
    if (refusal === undefined || error !== refusal) throw error;
    throw new TenantRoleUnavailableError(await databaseUser(db), { cause: refusal });
  }
}

/** The user `db` connects as, to name in the fix; asked only once SET ROLE has failed. */
async function databaseUser(db: Kysely<Database>): Promise<string | undefined> {
  try {
    const { rows } = await sql<{ user: string }>`select current_user as user`.execute(db);
    return rows[0]?.user;
  } catch {
    return undefined;
  }
}
