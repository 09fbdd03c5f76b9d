import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../activities/store/tenants.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer } from '../../support/api-server.ts';
import { requestJson } from '../../support/http.ts';
import { startJwksProvider, type TestJwksProvider } from '../../support/jwks-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/** OIDC bearer tokens at the API server, and custom roles from the deployment config. */

let stack: TestStack;
let provider: TestJwksProvider;
let server: ApiServer;
const tenantId = `oidc-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  stack = await startTestStack();
  provider = await startJwksProvider();
  await createTenant(stack.client.db, { id: tenantId });
  server = await startTestApiServer(stack, {
    deployment: {
      oidc: { issuer: provider.issuer, audience: 'swarmflow', jwksUrl: provider.jwksUrl },
      // A role that may start runs and read nothing: the table says exactly what it holds.
      roles: { launcher: { permissions: ['runs:start', 'routines:read'] } },
    },
  });
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
  await stack?.stop();
});

const token = (claims: Record<string, unknown>) =>
  provider.sign({
    sub: 'alice@example.com',
    aud: 'swarmflow',
    iss: provider.issuer,
    tid: tenantId,
    ...claims,
  });

describe('OIDC tokens at the API server', () => {
  it("acts for the token's tenant and roles, and audits the subject", async () => {
    const viewer = await token({ roles: ['viewer'] });
    expect((await requestJson(server.url, 'GET', '/v1/runs', { token: viewer })).status).toBe(200);
    const start = await requestJson(server.url, 'POST', '/v1/runs', {
      token: viewer,
      body: { routine: 'x' },
    });
    expect(start.status).toBe(403);
    expect(start.body.error).toMatchObject({
      permission: 'runs:start',
      grantedBy: ['operator', 'admin', 'launcher'],
    });

    const admin = await token({ roles: ['admin'], sub: 'root@example.com' });
    const audit = await requestJson(server.url, 'GET', '/v1/audit?outcome=denied', { token: admin });
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        tenant: tenantId,
        actor: { kind: 'oidc', id: 'alice@example.com' },
        status: 403,
      }),
    ]);
  });

  it('grants a custom role exactly its permissions', async () => {
    const launcher = await token({ roles: ['launcher'] });
    const start = await requestJson(server.url, 'POST', '/v1/runs', {
      token: launcher,
      body: { routine: 'nothing-here' },
    });
    expect(start.status).toBe(404);
    expect(start.body.error.type).toBe('UnknownRoutineError');
    expect((await requestJson(server.url, 'GET', '/v1/runs', { token: launcher })).status).toBe(403);
  });

  it('refuses tokens of an unknown tenant, of another issuer, or expired with 401', async () => {
    const unknownTenant = await token({ roles: ['admin'], tid: 'nobody-here' });
    expect((await requestJson(server.url, 'GET', '/v1/runs', { token: unknownTenant })).status).toBe(401);
    const otherIssuer = await token({ roles: ['admin'], iss: 'https://evil.example' });
    expect((await requestJson(server.url, 'GET', '/v1/runs', { token: otherIssuer })).status).toBe(401);
    const expired = await provider.sign(
      { sub: 'a', aud: 'swarmflow', iss: provider.issuer, tid: tenantId, roles: ['admin'] },
      { expiresIn: Math.floor(Date.now() / 1000) - 60 },
    );
    expect((await requestJson(server.url, 'GET', '/v1/runs', { token: expired })).status).toBe(401);
  });
});
