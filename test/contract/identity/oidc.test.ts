import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAt, createOidcVerifier, mapClaims } from '../../../client/auth/oidc.ts';
import { OidcConfig } from '../../../schema/identity.ts';
import { parseInput } from '../../../schema/validation.ts';
import { startJwksProvider, type TestJwksProvider } from '../../support/jwks-server.ts';

describe('OIDC bearer tokens against a JWKS on loopback', () => {
  let provider: TestJwksProvider;
  let config: OidcConfig;

  beforeAll(async () => {
    provider = await startJwksProvider();
    config = parseInput(
      OidcConfig,
      { issuer: provider.issuer, audience: 'swarmflow', jwksUrl: provider.jwksUrl, clockToleranceSeconds: 0 },
      'oidc config',
    );
  });
  afterAll(() => provider?.close());

  const claims = { sub: 'alice', aud: 'swarmflow', iss: '', tid: 'acme', roles: ['operator', 'approver'] };
  const sign = (overrides: Record<string, unknown> = {}, options = {}) =>
    provider.sign({ ...claims, iss: provider.issuer, ...overrides }, options);

  it('maps a valid token to an identity: subject, tenant and roles', async () => {
    const result = await createOidcVerifier(config).verify(await sign());
    expect(result).toEqual({
      ok: true,
      identity: { kind: 'oidc', subject: 'alice', tenantId: 'acme', roles: ['operator', 'approver'] },
    });
  });

  it.each([
    ['wrong audience', { aud: 'another-api' }, {}, 'wrong-audience'],
    ['wrong issuer', { iss: 'https://evil.example' }, {}, 'wrong-issuer'],
    ['expired', {}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }, 'expired'],
    ['not yet valid', { nbf: Math.floor(Date.now() / 1000) + 600 }, {}, 'not-yet-valid'],
    ['unknown kid', {}, { kid: 'key-2', unpublished: true }, 'unknown-kid'],
    ['a published kid but another key', {}, { unpublished: true }, 'bad-signature'],
    ['missing tenant claim', { tid: undefined }, {}, 'missing-tenant'],
    ['a tenant that is no tenant id', { tid: 'a/b' }, {}, 'bad-tenant'],
    ['missing subject', { sub: undefined }, {}, 'missing-subject'],
  ])('refuses a token with %s', async (_, overrides, options, reason) => {
    const result = await createOidcVerifier(config).verify(await sign(overrides, options));
    expect(result).toMatchObject({ ok: false, reason, detail: expect.any(String) });
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['an unsigned token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.'],
  ])('refuses %s as malformed', async (_, token) => {
    expect(await createOidcVerifier(config).verify(token)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses every token while the JWKS cannot be fetched', async () => {
    const verifier = createOidcVerifier({ ...config, jwksUrl: `${provider.issuer}/missing.json` });
    expect(await verifier.verify(await sign())).toMatchObject({ ok: false, reason: 'jwks-unavailable' });
  });

  it('fetches the JWKS once for many tokens', async () => {
    const verifier = createOidcVerifier(config);
    const before = provider.fetches();
    for (let i = 0; i < 5; i++) expect((await verifier.verify(await sign())).ok).toBe(true);
    expect(provider.fetches() - before).toBe(1);
  });

  it('reads a nested tenant claim and falls back to the default role', async () => {
    const nested = {
      ...config,
      tenantClaim: 'org.id',
      rolesClaim: 'https://swarmflow.dev/roles',
      defaultRole: 'viewer',
    };
    const verifier = createOidcVerifier(nested);
    const token = await sign({ tid: undefined, roles: undefined, org: { id: 'globex' } });
    expect(await verifier.verify(token)).toMatchObject({
      ok: true,
      identity: { tenantId: 'globex', roles: ['viewer'] },
    });
    const withRoles = await sign({ org: { id: 'globex' }, 'https://swarmflow.dev/roles': 'author operator' });
    expect(await verifier.verify(withRoles)).toMatchObject({
      ok: true,
      identity: { roles: ['author', 'operator'] },
    });
  });
});

describe('claim mapping', () => {
  const config = parseInput(
    OidcConfig,
    { issuer: 'https://id.example', audience: ['a', 'b'], jwksUrl: 'https://id.example/jwks' },
    'oidc config',
  );

  it('reads exact claim names before dotted paths', () => {
    const payload = { 'org.id': 'flat', org: { id: 'nested', deep: { x: 1 } } };
    expect(claimAt(payload, 'org.id')).toBe('flat');
    expect(claimAt(payload, 'org.deep.x')).toBe(1);
    expect(claimAt(payload, 'org.missing.x')).toBeUndefined();
    expect(claimAt({ org: 'text' }, 'org.length')).toBeUndefined();
  });

  it('takes a numeric tenant as text, drops role values that are no role names, and has no role without a default', () => {
    expect(mapClaims({ sub: 's', tid: 42, roles: ['viewer', 7, 'Not A Role', 'viewer'] }, config)).toEqual({
      ok: true,
      identity: { kind: 'oidc', subject: 's', tenantId: '42', roles: ['viewer'] },
    });
    expect(mapClaims({ sub: 's', tid: 't' }, config)).toMatchObject({ ok: true, identity: { roles: [] } });
  });

  it('refuses a config with unknown fields or a bad JWKS URL, naming them', () => {
    expect(() =>
      parseInput(
        OidcConfig,
        { issuer: 'x', audience: 'a', jwksUrl: 'not a url', tenantclaim: 'tid' },
        'oidc config',
      ),
    ).toThrow(/jwksUrl: .*\n.*tenantclaim/s);
  });
});
