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

/** A change to a tenant's quotas: a number sets one, null removes it (unlimited), absent leaves it. */
export type QuotaChanges = { [quota in keyof TenantQuotas]?: number | null };

/**
 * Changes a tenant's quotas and returns the tenant as it now is; with no changes, returns it as
 * it is. Reads and writes in one transaction, so two changes at once both land.
 * @throws ValidationError when a value is not a valid quota (a positive integer; credits positive).
 * @throws UnknownTenantError when no tenant has the id.
 */
export async function setTenantQuotas(
  db: Kysely<Database>,
  id: string,
  changes: QuotaChanges,
): Promise<Tenant> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw await unknownTenant(trx, id);
    const merged: Record<string, number | null | undefined> = { ...row.quotas, ...changes };
    const kept = Object.fromEntries(
      Object.entries(merged).filter(([, value]) => value !== null && value !== undefined),
    );
    const quotas = parseInput(TenantQuotas, kept, 'tenant quotas');
    const updated = await trx
      .updateTable('tenants')
      .set({ quotas: Object.keys(quotas).length === 0 ? null : JSON.stringify(quotas) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTenant(updated);
  });
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
