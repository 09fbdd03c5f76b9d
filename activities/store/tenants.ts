import type { Kysely, Selectable } from 'kysely';
import type { Database, TenantTable } from '../../schema/db/tables.ts';
import { type Tenant, TenantId, TenantQuotas } from '../../schema/identity.ts';
import { parseInput } from '../../schema/validation.ts';
import { didYouMean, similarIds } from './similar-ids.ts';

/** A tenant id that is already taken. */
export class TenantExistsError extends Error {
  override readonly name = 'TenantExistsError';
  constructor(readonly tenantId: string) {
    super(`tenant "${tenantId}" already exists (list tenants with \`swarmflow tenants list\`)`);
  }
}

/** A tenant id that no tenant has. */
export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  constructor(
    readonly tenantId: string,
    /** Existing ids that look like `tenantId`, closest first. */
    readonly suggestions: readonly string[],
  ) {
    super(`no tenant "${tenantId}"${didYouMean(suggestions)} (list tenants with \`swarmflow tenants list\`)`);
  }
}

export interface NewTenant {
  id: string;
  /** Defaults to the id. */
  name?: string | undefined;
  quotas?: TenantQuotas | undefined;
}

/** Creates a tenant; TenantExistsError when the id is taken, ValidationError when it is not a valid id. */
export async function createTenant(db: Kysely<Database>, tenant: NewTenant): Promise<Tenant> {
  const id = parseInput(TenantId, tenant.id, 'tenant id');
  const quotas =
    tenant.quotas === undefined ? null : parseInput(TenantQuotas, tenant.quotas, 'tenant quotas');
  const row = await db
    .insertInto('tenants')
    .values({ id, name: tenant.name?.trim() || id, quotas: quotas && JSON.stringify(quotas) })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new TenantExistsError(id);
  return toTenant(row);
}

/** Every tenant, oldest first. */
export async function listTenants(db: Kysely<Database>): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toTenant);
}

/** A tenant by id; UnknownTenantError, with look-alike ids, when there is none. */
export async function getTenant(db: Kysely<Database>, id: string): Promise<Tenant> {
  const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  if (row) return toTenant(row);
  throw await unknownTenant(db, id);
}

/**
 * Disables a tenant (its keys and tokens stop authenticating at once) or enables it again.
 * Returns the tenant as it now is.
 */
export async function setTenantDisabled(
  db: Kysely<Database>,
  id: string,
  disabled: boolean,
): Promise<Tenant> {
  const row = await db
    .updateTable('tenants')
    .set((eb) => ({
      disabled_at: disabled ? eb.fn.coalesce('disabled_at', eb.fn<Date>('now')) : null,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row) return toTenant(row);
  throw await unknownTenant(db, id);
}

/** UnknownTenantError for `id`, with the existing ids that look like it. */
export async function unknownTenant(db: Kysely<Database>, id: string): Promise<UnknownTenantError> {
  const ids = await db.selectFrom('tenants').select('id').execute();
  return new UnknownTenantError(
    id,
    similarIds(
      id,
      ids.map((row) => row.id),
    ),
  );
}

function toTenant(row: Selectable<TenantTable>): Tenant {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    quotas: row.quotas,
  };
}
