import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { ApiKeyTable, Database } from '../../schema/db/tables.ts';
import {
  ApiKeyName,
  type ApiKeyRecord,
  type AuthResult,
  builtInRoleTable,
  formatApiKey,
  parseApiKey,
  type RoleTable,
} from '../../schema/identity.ts';
import { parseInput, ValidationError } from '../../schema/validation.ts';
import { UnknownApiKeyError, UnknownRoleError } from './errors.ts';
import { fastDigest, hashSecret, verifySecret } from './key-hash.ts';
import { similarIds } from './similar-ids.ts';
import { unknownTenant } from './tenants.ts';

/**
 * API keys: `sfk_<id>_<secret>`, shown once at creation and stored only as a slow hash.
 *
 * Revocation, expiry and a disabled tenant take effect at once: `authenticate` reads the key's
 * row (joined with its tenant) on every call, in every process. What it remembers in memory is
 * only that a presented key already passed the slow hash against that row's hash, so a repeated
 * key costs one indexed select instead of a scrypt; that memo never decides whether a key is
 * still valid.
 */

/** Where callers have always found them; they live with the other store errors, free of I/O. */
export { UnknownApiKeyError, UnknownRoleError };

export interface NewApiKey {
  tenantId: string;
  name: string;
  role: string;
  expiresAt?: Date | undefined;
  /** Who made it, for the audit log: an identity's subject, or `cli:<user>` in direct mode. */
  createdBy: string;
}

export interface CreatedApiKey {
  id: string;
  /** The whole key. It is shown this once and never stored. */
  key: string;
  record: ApiKeyRecord;
}

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 12 characters from [a-z0-9]: about 62 bits, a public handle rather than a secret. */
function newKeyId(): string {
  // 252 is the largest multiple of 36 below 256: rejecting larger bytes keeps the letters uniform.
  let id = '';
  while (id.length < 12) {
    for (const byte of randomBytes(16)) if (byte < 252 && id.length < 12) id += idAlphabet[byte % 36];
  }
  return id;
}

/**
 * Creates a key for a tenant with one role; UnknownTenantError or UnknownRoleError when either
 * does not exist. The returned `key` is the only copy of the secret.
 */
export async function createApiKey(
  db: Kysely<Database>,
  request: NewApiKey,
  roles: RoleTable = builtInRoleTable,
): Promise<CreatedApiKey> {
  const name = parseInput(ApiKeyName, request.name, 'API key name');
  if (!roles.has(request.role)) throw new UnknownRoleError(request.role, [...roles.keys()]);
  if (request.expiresAt && request.expiresAt.getTime() <= Date.now()) {
    throw new ValidationError('API key expiry', [`${request.expiresAt.toISOString()} has passed`]);
  }
  const tenant = await db
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', request.tenantId)
    .executeTakeFirst();
  if (!tenant) throw await unknownTenant(db, request.tenantId);
  const id = newKeyId();
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_keys')
    .values({
      id,
      tenant_id: request.tenantId,
      name,
      role: request.role,
      hash: await hashSecret(secret),
      expires_at: request.expiresAt ?? null,
      created_by: request.createdBy,
    })
    .returning(recordColumns)
    .executeTakeFirstOrThrow();
  return { id, key: formatApiKey(id, secret), record: toRecord(row) };
}

const recordColumns = [
  'id',
  'tenant_id',
  'name',
  'role',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
  'created_by',
] as const satisfies (keyof ApiKeyTable)[];

type RecordRow = Pick<Selectable<ApiKeyTable>, (typeof recordColumns)[number]>;

/** Keys, newest first, never their hashes; only `tenantId`'s when given. Revoked keys are listed too. */
export async function listApiKeys(
  db: Kysely<Database>,
  filter: { tenantId?: string | undefined } = {},
): Promise<ApiKeyRecord[]> {
  let query = db.selectFrom('api_keys').select(recordColumns);
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toRecord);
}

/**
 * Revokes a key: from now on it fails to authenticate, everywhere at once. With `tenantId`, a
 * key of another tenant is unknown. Revoking a revoked key keeps its first revocation time.
 */
export async function revokeApiKey(
  db: Kysely<Database>,
  id: string,
  scope: { tenantId?: string | undefined } = {},
): Promise<ApiKeyRecord> {
  let query = db
    .updateTable('api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.fn<Date>('now')) }))
    .where('id', '=', id);
  if (scope.tenantId !== undefined) query = query.where('tenant_id', '=', scope.tenantId);
  const row = await query.returning(recordColumns).executeTakeFirst();
  if (row) return toRecord(row);
  let ids = db.selectFrom('api_keys').select('id');
  if (scope.tenantId !== undefined) ids = ids.where('tenant_id', '=', scope.tenantId);
  throw new UnknownApiKeyError(
    id,
    similarIds(
      id,
      (await ids.execute()).map((r) => r.id),
    ),
  );
}

/** last_used_at is written at most this often per key, so a busy key does not cost a write per request. */
export const lastUsedResolutionMs = 60_000;

/** Keys whose secret already passed the slow hash: id → the row's hash and a digest of the presented key. */
const verified = new Map<string, { hash: string; digest: Buffer }>();
const maxVerified = 10_000;

// A well-formed hash of nothing anyone holds, so an unknown id costs as much as a wrong secret.
let decoyHash: Promise<string> | undefined;

/**
 * The identity a presented API key stands for, or why it does not authenticate. The secret is
 * checked before anything else about the key, so a failure names `revoked`, `expired` or
 * `tenant-disabled` only to someone who holds the key. All failures are 401s to the caller; the
 * reason is for the audit log. Updates last_used_at at most once a minute.
 */
export async function authenticateApiKey(
  db: Kysely<Database>,
  key: string,
  now = new Date(),
): Promise<AuthResult> {
  const parsed = parseApiKey(key);
  if (!parsed) return { ok: false, reason: 'malformed', detail: 'not a key of the form sfk_<id>_<secret>' };
  const { id } = parsed;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('tenants as t', 't.id', 'k.tenant_id')
    .select([
      'k.id',
      'k.tenant_id',
      'k.role',
      'k.hash',
      'k.expires_at',
      'k.revoked_at',
      'k.last_used_at',
      't.disabled_at as tenant_disabled_at',
    ])
    .where('k.id', '=', id)
    .executeTakeFirst();
  if (!row) {
    decoyHash ??= hashSecret(randomBytes(32).toString('base64url'));
    await verifySecret(parsed.secret, await decoyHash);
    return { ok: false, reason: 'unknown', detail: 'no key has this id', keyId: id };
  }
  if (!(await secretMatches(id, key, parsed.secret, row.hash))) {
    return { ok: false, reason: 'unknown', detail: "the secret does not match the key's hash", keyId: id };
  }
  if (row.revoked_at) {
    return { ok: false, reason: 'revoked', detail: `revoked at ${row.revoked_at.toISOString()}`, keyId: id };
  }
  if (row.expires_at && row.expires_at.getTime() <= now.getTime()) {
    return { ok: false, reason: 'expired', detail: `expired at ${row.expires_at.toISOString()}`, keyId: id };
  }
  if (row.tenant_disabled_at) {
    return {
      ok: false,
      reason: 'tenant-disabled',
      detail: `tenant "${row.tenant_id}" is disabled`,
      keyId: id,
    };
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= lastUsedResolutionMs) {
    await touchLastUsed(db, id);
  }
  return {
    ok: true,
    identity: {
      kind: 'api-key',
      subject: `api-key:${id}`,
      tenantId: row.tenant_id,
      roles: [row.role],
      keyId: id,
    },
  };
}

async function secretMatches(id: string, key: string, secret: string, hash: string): Promise<boolean> {
  const digest = fastDigest(key);
  const known = verified.get(id);
  if (known && known.hash === hash && timingSafeEqual(known.digest, digest)) return true;
  if (!(await verifySecret(secret, hash))) return false;
  if (verified.size >= maxVerified) verified.delete(verified.keys().next().value as string);
  verified.set(id, { hash, digest });
  return true;
}

/** One write a minute at most, even when several processes see the same stale time at once. */
async function touchLastUsed(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - make_interval(secs => ${lastUsedResolutionMs / 1000})`),
      ]),
    )
    .execute();
}

function toRecord(row: RecordRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    createdBy: row.created_by,
  };
}
