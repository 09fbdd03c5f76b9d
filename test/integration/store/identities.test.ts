import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  UnknownApiKeyError,
  UnknownRoleError,
} from '../../../activities/store/api-keys.ts';
import {
  createTenant,
  getTenant,
  listTenants,
  setTenantDisabled,
  TenantExistsError,
  UnknownTenantError,
} from '../../../activities/store/tenants.ts';
import { createAuthenticator } from '../../../client/auth/authenticate.ts';
import { type AuthResult, parseApiKey } from '../../../schema/identity.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { startJwksProvider, type TestJwksProvider } from '../../support/jwks-server.ts';

describe('tenants and API keys on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await createTenant(database.db, { id: 'acme', name: 'Acme Inc' });
    await createTenant(database.db, { id: 'globex', quotas: { maxConcurrentRuns: 5, creditsPerDay: 100 } });
  });
  afterAll(() => database?.drop());

  const newKey = (overrides: { tenantId?: string; role?: string; expiresAt?: Date } = {}) =>
    createApiKey(database.db, {
      tenantId: 'acme',
      name: 'ci',
      role: 'operator',
      createdBy: 'test',
      ...overrides,
    });
  const authenticate = (key: string, now?: Date) => authenticateApiKey(database.db, key, now);
  const lastUsed = async (id: string) =>
    (
      await database.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).last_used_at;

  it('creates, lists and gets tenants; a taken id, a bad id and an unknown id are clear errors', async () => {
    expect(await getTenant(database.db, 'globex')).toMatchObject({
      id: 'globex',
      name: 'globex',
      disabledAt: null,
      quotas: { maxConcurrentRuns: 5, creditsPerDay: 100 },
    });
    expect((await listTenants(database.db)).map((t) => t.id)).toEqual(['default', 'acme', 'globex']);
    await expect(createTenant(database.db, { id: 'acme' })).rejects.toThrow(TenantExistsError);
    await expect(createTenant(database.db, { id: 'acme' })).rejects.toThrow('tenant "acme" already exists');
    await expect(createTenant(database.db, { id: 'a:b' })).rejects.toThrow(ValidationError);
    const unknown = await getTenant(database.db, 'acne').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(UnknownTenantError);
    expect((unknown as Error).message).toBe(
      'no tenant "acne"; did you mean "acme"? (list tenants with `swarmflow tenants list`)',
    );
  });

  it('creates a key shown once, and authenticates it as an identity of its tenant and role', async () => {
    const created = await newKey();
    expect(created.key).toMatch(/^sfk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(created.key)?.id).toBe(created.id);
    expect(created.record).toMatchObject({
      id: created.id,
      tenantId: 'acme',
      name: 'ci',
      role: 'operator',
      revokedAt: null,
    });
    const stored = await database.db
      .selectFrom('api_keys')
      .select('hash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.hash).not.toContain(parseApiKey(created.key)?.secret);
    expect(await authenticate(created.key)).toEqual({
      ok: true,
      identity: {
        kind: 'api-key',
        subject: `api-key:${created.id}`,
        tenantId: 'acme',
        roles: ['operator'],
        keyId: created.id,
      },
    });
  });

  it('refuses an unknown tenant or role at creation', async () => {
    await expect(newKey({ tenantId: 'nobody' })).rejects.toThrow(UnknownTenantError);
    await expect(newKey({ role: 'boss' })).rejects.toThrow(UnknownRoleError);
    await expect(newKey({ role: 'boss' })).rejects.toThrow(
      'unknown role "boss"; the roles are viewer, operator, approver, author, admin',
    );
  });

  it('tells a wrong secret, an unknown id and a malformed key apart only in the typed reason', async () => {
    const { id, key } = await newKey();
    const wrongSecret = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(await authenticate(wrongSecret)).toMatchObject({ ok: false, reason: 'unknown', keyId: id });
    expect(await authenticate(`sfk_zzzzzzzzzzzz_${parseApiKey(key)?.secret}`)).toMatchObject({
      ok: false,
      reason: 'unknown',
      keyId: 'zzzzzzzzzzzz',
    });
    for (const bad of ['', 'sfk_', 'Bearer x', key.slice(0, -1)]) {
      expect(await authenticate(bad)).toMatchObject({ ok: false, reason: 'malformed' });
    }
    // A failure says nothing of the key's state to whoever lacks its secret.
    await revokeApiKey(database.db, id);
    expect(await authenticate(wrongSecret)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('fails a revoked key at once, even right after it authenticated', async () => {
    const { id, key } = await newKey();
    expect((await authenticate(key)).ok).toBe(true);
    const revoked = await revokeApiKey(database.db, id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await authenticate(key)).toMatchObject({ ok: false, reason: 'revoked', keyId: id });
    // Revoking again keeps the first time.
    expect((await revokeApiKey(database.db, id)).revokedAt).toEqual(revoked.revokedAt);
  });

  it('fails an expired key', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { id, key } = await newKey({ expiresAt });
    expect((await authenticate(key)).ok).toBe(true);
    expect(await authenticate(key, new Date(expiresAt.getTime() + 1))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    await database.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect(await authenticate(key)).toMatchObject({ ok: false, reason: 'expired' });
    await expect(newKey({ expiresAt: new Date(Date.now() - 1) })).rejects.toThrow(ValidationError);
  });

  it("fails a disabled tenant's keys until it is enabled again", async () => {
    await createTenant(database.db, { id: 'initech' });
    const { key } = await newKey({ tenantId: 'initech' });
    expect((await setTenantDisabled(database.db, 'initech', true)).disabledAt).toBeInstanceOf(Date);
    expect(await authenticate(key)).toMatchObject({ ok: false, reason: 'tenant-disabled' });
    await setTenantDisabled(database.db, 'initech', false);
    expect((await authenticate(key)).ok).toBe(true);
  });

  it('records the last use, writing it at most once a minute', async () => {
    const { id, key } = await newKey();
    expect(await lastUsed(id)).toBeNull();
    await authenticate(key);
    const first = await lastUsed(id);
    expect(first).toBeInstanceOf(Date);
    await authenticate(key);
    expect(await lastUsed(id)).toEqual(first);
    await sql`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${id}`.execute(
      database.db,
    );
    const stale = await lastUsed(id);
    await authenticate(key);
    expect((await lastUsed(id))?.getTime()).toBeGreaterThan(stale?.getTime() ?? 0);
  });

  it('lists keys without their hashes, per tenant, and revokes only within a tenant when scoped', async () => {
    const { id } = await newKey({ tenantId: 'globex', role: 'viewer' });
    const all = await listApiKeys(database.db);
    expect(all.length).toBeGreaterThan(1);
    for (const record of all) expect(Object.keys(record)).not.toContain('hash');
    expect(JSON.stringify(all)).not.toContain('scrypt');
    expect((await listApiKeys(database.db, { tenantId: 'globex' })).map((k) => k.id)).toEqual([id]);
    await expect(revokeApiKey(database.db, id, { tenantId: 'acme' })).rejects.toThrow(UnknownApiKeyError);
    expect((await revokeApiKey(database.db, id, { tenantId: 'globex' })).revokedAt).toBeInstanceOf(Date);
  });
});

describe('one authenticator for API keys and OIDC tokens', () => {
  let database: TestDatabase;
  let provider: TestJwksProvider;

  beforeAll(async () => {
    [database, provider] = await Promise.all([createTestDatabase(), startJwksProvider()]);
    await createTenant(database.db, { id: 'acme' });
  });
  afterAll(() => Promise.all([database?.drop(), provider?.close()]));

  it('takes either from a Bearer header; a token must name an existing, enabled tenant', async () => {
    const auth = createAuthenticator({
      db: database.db,
      oidc: {
        issuer: provider.issuer,
        audience: 'swarmflow',
        jwksUrl: provider.jwksUrl,
        tenantClaim: 'tid',
        rolesClaim: 'roles',
        subjectClaim: 'sub',
        clockToleranceSeconds: 0,
      },
    });
    const token = (tid: string) =>
      provider.sign({ iss: provider.issuer, aud: 'swarmflow', sub: 'bob', tid, roles: ['viewer'] });
    const { key } = await createApiKey(database.db, {
      tenantId: 'acme',
      name: 'k',
      role: 'admin',
      createdBy: 'test',
    });

    expect(await auth.authenticateHeader(`Bearer ${key}`)).toMatchObject({
      ok: true,
      identity: { kind: 'api-key', tenantId: 'acme' },
    });
    expect(await auth.authenticateHeader(`bearer ${await token('acme')}`)).toEqual({
      ok: true,
      identity: { kind: 'oidc', subject: 'bob', tenantId: 'acme', roles: ['viewer'] },
    } satisfies AuthResult);
    expect(await auth.authenticateHeader(`Bearer ${await token('nobody')}`)).toMatchObject({
      ok: false,
      reason: 'unknown-tenant',
    });
    await setTenantDisabled(database.db, 'acme', true);
    expect(await auth.authenticateHeader(`Bearer ${await token('acme')}`)).toMatchObject({
      ok: false,
      reason: 'tenant-disabled',
    });
    expect(await auth.authenticateHeader(undefined)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await auth.authenticateHeader(`Basic ${key}`)).toMatchObject({ ok: false, reason: 'missing' });

    const keysOnly = createAuthenticator({ db: database.db });
    expect(await keysOnly.authenticateToken(await token('acme'))).toMatchObject({
      ok: false,
      reason: 'oidc-not-configured',
    });
  });
});

// Each CLI process loads the TypeScript sources afresh (seconds on a busy machine): five of them need room.
describe('swarmflow tenants and keys', { timeout: 240_000 }, () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
  });
  afterAll(() => database?.drop());

  it('creates a tenant and a key (--json), which authenticates until `keys revoke`', async () => {
    const tenant = await runCli(['tenants', 'create', 'acme', '--name', 'Acme Inc'], env);
    expect(tenant).toMatchObject({ code: 0, stdout: 'created tenant acme (Acme Inc)\n' });

    const created = await runCli(
      [
        'keys',
        'create',
        '--tenant',
        'acme',
        '--role',
        'approver',
        '--name',
        'ci bot',
        '--expires',
        '90d',
        '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const { id, key, ...rest } = JSON.parse(created.stdout) as { id: string; key: string };
    expect(rest).toEqual({});
    expect(parseApiKey(key)?.id).toBe(id);
    expect(await authenticateApiKey(database.db, key)).toMatchObject({
      ok: true,
      identity: { tenantId: 'acme', roles: ['approver'] },
    });

    const listed = await runCli(['keys', 'list', '--tenant', 'acme', '--json'], env);
    const keys = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(keys).toEqual([
      expect.objectContaining({ id, name: 'ci bot', role: 'approver', revokedAt: null }),
    ]);
    expect(listed.stdout).not.toContain('scrypt');
    expect(listed.stdout).not.toContain(key);
    expect((await runCli(['keys', 'list'], env)).stdout).toMatch(
      /^ID\s+TENANT\s+NAME\s+ROLE\s+CREATED\s+EXPIRES\s+LAST USED\s+REVOKED\n/,
    );

    const revoked = await runCli(['keys', 'revoke', id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^revoked API key ${id} \\(ci bot, tenant acme\\) at `));
    expect(await authenticateApiKey(database.db, key)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('names the flag at fault', async () => {
    const result = await runCli(
      ['keys', 'create', '--tenant', 'acme', '--role', 'boss', '--name', 'x', '--expires', 'soon'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '--role: unknown role "boss"; the roles are viewer, operator, approver, author, admin',
    );
    expect(result.stderr).toContain('--expires: "soon" is neither a span');
    const unknownKey = await runCli(['keys', 'revoke', 'aaaaaaaaaaaa'], env);
    expect(unknownKey).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no API key "aaaaaaaaaaaa"'),
    });
  });
});
