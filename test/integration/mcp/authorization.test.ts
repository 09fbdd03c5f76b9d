import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../../activities/store/api-keys.ts';
import { AuditLog } from '../../../activities/store/audit-log.ts';
import type { ApiServer } from '../../../client/api/server.ts';
import { type McpToolName, mcpToolAccess, mcpToolNames } from '../../../client/mcp/tool-permissions.ts';
import { BuiltInRole, builtInRoleTable, can, parseApiKey, rolesWith } from '../../../schema/identity.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { runCli } from '../../support/cli.ts';
import { startJwksProvider, type TestJwksProvider } from '../../support/jwks-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import { callOk, connectHttp, connectStdio } from './support.ts';

const roles = BuiltInRole.options;

let stack: TestStack;
let server: ApiServer;
let mcpUrl: string;
let jwks: TestJwksProvider;
let authorizationServer: { issuer: string; close(): Promise<void> };
let tenantA: { tenantId: string; keys: Record<BuiltInRole, string> };
let tenantB: { tenantId: string; keys: Record<'operator', string> };
const clients: Client[] = [];
const startedSwarms: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  jwks = await startJwksProvider();
  authorizationServer = await startAuthorizationServerMetadata();
  server = await startTestApiServer(stack, {
    deployment: {
      oidc: { issuer: authorizationServer.issuer, audience: 'swarmflow', jwksUrl: jwks.jwksUrl },
    },
  });
  mcpUrl = `${server.url}/mcp`;
  tenantA = await tenantWithKeys(stack, 'mcp-a', roles);
  tenantB = await tenantWithKeys(stack, 'mcp-b', ['operator'] as const);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(
    startedSwarms.map((swarmId) =>
      stack.client.temporal.workflow
        .getHandle(`swarm/${swarmId}`)
        .terminate('test over')
        .catch(() => {}),
    ),
  );
  await server?.close();
  await authorizationServer?.close();
  await jwks?.close();
  await stack?.stop();
});

/** An MCP client over HTTP with `token`, closed after the file. */
async function connect(token: string): Promise<Client> {
  const client = await connectHttp(mcpUrl, token);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

async function auditOf(tenant: string, action: string) {
  return new AuditLog(stack.client.db).list({ tenant, action, order: 'desc' });
}

describe('MCP over HTTP: the authorization flow', () => {
  it('answers a request without a token with 401 pointing at the protected resource metadata', async () => {
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource"`,
    );

    const badToken = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sfk_nope' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('www-authenticate')).toMatch(
      new RegExp(
        `^Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource", error="invalid_token"`,
      ),
    );
  });

  it('serves the protected resource metadata for the API and for /mcp', async () => {
    const root = await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json();
    expect(root).toMatchObject({
      resource: server.url,
      authorization_servers: [authorizationServer.issuer],
      bearer_methods_supported: ['header'],
    });
    const mcp = await (await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(mcp).toMatchObject({ resource: mcpUrl, authorization_servers: [authorizationServer.issuer] });
  });

  it("walks the SDK client from the 401 through discovery to the provider's authorization page", async () => {
    let authorizationUrl: URL | undefined;
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:1/callback',
      clientMetadata: { client_name: 'swarmflow-test', redirect_uris: ['http://127.0.0.1:1/callback'] },
      clientInformation: () => ({ client_id: 'swarmflow-test' }),
      tokens: () => undefined,
      saveTokens: () => {},
      redirectToAuthorization: (url) => {
        authorizationUrl = url;
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => 'verifier',
    };
    const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
    await expect(
      client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(authorizationUrl?.origin).toBe(authorizationServer.issuer);
    expect(authorizationUrl?.pathname).toBe('/authorize');
    expect(authorizationUrl?.searchParams.get('resource')).toBe(server.url);
  });

  it('initializes, lists the tools and calls one with an API key', async () => {
    const client = await connect(tenantA.keys.viewer);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort());
    expect(tools.find((tool) => tool.name === 'start_swarm')?.description).toMatch(
      /Needs the swarms:start permission\.$/,
    );
    expect(await callOk(client, 'list_approvals', { kind: 'run' })).toEqual({ approvals: [] });
  });

  it('serves an OIDC token as its subject and roles', async () => {
    const token = await jwks.sign({
      iss: authorizationServer.issuer,
      aud: 'swarmflow',
      sub: 'ada',
      tid: tenantA.tenantId,
      roles: ['viewer'],
    });
    const client = await connect(token);
    const denied = await call(client, 'run_routine', { routineId: 'nothing', input: {} });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/permission runs:start denied/);
    const [entry] = await auditOf(tenantA.tenantId, 'mcp.run_routine');
    expect(entry).toMatchObject({ actor: { kind: 'oidc', id: 'ada' }, outcome: 'denied', status: 403 });
  });

  it("binds a session to the identity that opened it: another key's requests find no such session", async () => {
    const viewer = new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${tenantA.keys.viewer}` } },
    });
    const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
    await client.connect(viewer);
    clients.push(client);
    const onSession = (authorization: string | undefined) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': viewer.sessionId as string,
          'mcp-protocol-version': '2025-06-18',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
      });
    expect((await onSession(`Bearer ${tenantA.keys.admin}`)).status).toBe(404);
    expect((await onSession(`Bearer ${tenantB.keys.operator}`)).status).toBe(404);
    expect((await onSession(undefined)).status).toBe(401);
    expect((await onSession(`Bearer ${tenantA.keys.viewer}`)).status).toBe(200);
  });
});

/** Arguments each tool accepts; an allowed call may still fail (unknown ids), never for want of a permission. */
function argumentsFor(tool: McpToolName, role: BuiltInRole): Record<string, unknown> {
  const swarmId = `mcp-table-${role}-${randomBytes(3).toString('hex')}`;
  switch (tool) {
    case 'start_swarm':
      startedSwarms.push(swarmId);
      return { goal: 'Wait', swarmId, awaitMessages: true };
    case 'send_swarm_message':
      return { swarmId: 'mcp-no-such-swarm', text: 'hello' };
    case 'update_swarm_shared_state':
      return { swarmId: 'mcp-no-such-swarm', goal: 'Another goal' };
    case 'stop_swarm':
    case 'get_swarm_status':
      return { swarmId: 'mcp-no-such-swarm' };
    case 'run_routine':
      return { routineId: 'mcp-no-such-routine', input: {} };
    case 'get_run_status':
      return { runId: 'mcp-no-such-run' };
    case 'list_approvals':
      return { kind: 'run' };
    case 'decide_approval':
      return { kind: 'run', id: 'mcp-no-such-run', callId: 'call-1', approved: true };
    case 'find_routines':
      return { query: '' };
    case 'give_feedback':
      return { runId: 'mcp-no-such-run', score: 1 };
    case 'run_scores':
      return { runId: 'mcp-no-such-run' };
    case 'search_knowledge':
      return { query: 'anything' };
    case 'start_improvement_cycle':
      return { routineId: 'mcp-no-such-routine' };
    case 'schedule_improvement':
      return { routineId: 'mcp-no-such-routine', every: '1d' };
    case 'unschedule_improvement':
      return { routineId: 'mcp-no-such-routine' };
    case 'list_proposals':
      return {};
    case 'decide_proposal':
      return { proposal: 'mcp-no-such-cycle', approved: true };
  }
}

describe('MCP over HTTP: every built-in role against every tool', () => {
  const cases = roles.flatMap((role) => mcpToolNames.map((tool) => [role, tool] as const));

  const byRole = new Map<BuiltInRole, Promise<Client>>();

  it.each(cases)('%s calling %s is allowed or denied as the role table says', async (role, tool) => {
    if (!byRole.has(role)) byRole.set(role, connect(tenantA.keys[role]));
    const client = await (byRole.get(role) as Promise<Client>);
    const { permission } = mcpToolAccess[tool];
    const result = await call(client, tool, argumentsFor(tool, role));
    const denial = `permission ${permission} denied`;
    if (can({ roles: [role] }, permission, builtInRoleTable)) {
      expect(textOf(result)).not.toContain(denial);
      expect(textOf(result)).not.toMatch(/Input validation error|internal error/);
      return;
    }
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(denial);
    expect(textOf(result)).toContain(
      `roles that have it: ${rolesWith(permission, builtInRoleTable).join(', ')}`,
    );
    const keyId = parseApiKey(tenantA.keys[role])?.id;
    const entries = await auditOf(tenantA.tenantId, `mcp.${tool}`);
    expect(entries.find((entry) => entry.actor.id === keyId)).toMatchObject({
      outcome: 'denied',
      status: 403,
      reason: expect.stringContaining(denial),
    });
  });

  it('audits mutating calls that pass, as mcp.<tool>', async () => {
    const keyId = parseApiKey(tenantA.keys.operator)?.id;
    const entries = await auditOf(tenantA.tenantId, 'mcp.start_swarm');
    expect(entries.find((entry) => entry.actor.id === keyId)).toMatchObject({
      outcome: 'ok',
      target: { kind: 'swarm', id: expect.stringMatching(/^mcp-table-operator-/) },
    });
  });
});

describe('MCP over HTTP: tenants apart', () => {
  it("answers tenant B's swarm and run ids to tenant A as unknown, and audits the attempt", async () => {
    const routineId = `mcp-b-routine-${randomBytes(3).toString('hex')}`;
    await stack.client.forTenant(tenantB.tenantId).registerRoutine({
      id: routineId,
      name: 'B only',
      body: { kind: 'sequence', steps: [{ id: 'nap', type: 'sleep', headers: { ms: '60000' } }] },
    });
    const b = await connect(tenantB.keys.operator);
    const swarmId = `mcp-b-swarm-${randomBytes(3).toString('hex')}`;
    startedSwarms.push(swarmId);
    await callOk(b, 'start_swarm', { goal: 'Mine', swarmId, awaitMessages: true });
    const { runId } = await callOk<{ runId: string }>(b, 'run_routine', { routineId, input: {} });

    const a = await connect(tenantA.keys.admin);
    const unknownSwarm = await call(a, 'get_swarm_status', { swarmId });
    expect(unknownSwarm.isError).toBe(true);
    expect(textOf(unknownSwarm)).toContain(`no swarm "${swarmId}"`);
    const stop = await call(a, 'stop_swarm', { swarmId, mode: 'force' });
    expect(textOf(stop)).toContain(`no swarm "${swarmId}"`);
    const unknownRun = await call(a, 'get_run_status', { runId });
    expect(textOf(unknownRun)).toContain(`no run "${runId}"`);
    const decide = await call(a, 'decide_approval', { kind: 'run', id: runId, callId: 'x', approved: true });
    expect(textOf(decide)).toContain(`no run "${runId}"`);

    const adminKey = parseApiKey(tenantA.keys.admin)?.id;
    for (const [action, id] of [
      ['mcp.stop_swarm', swarmId],
      ['mcp.get_swarm_status', swarmId],
      ['mcp.get_run_status', runId],
      ['mcp.decide_approval', runId],
    ] as const) {
      const entries = await auditOf(tenantA.tenantId, action);
      expect(entries.find((entry) => entry.actor.id === adminKey && entry.target.id === id)).toMatchObject({
        outcome: 'denied',
        status: 404,
      });
    }
    // A's stop did not reach B's swarm.
    const described = await stack.client.temporal.workflow.getHandle(`swarm/${swarmId}`).describe();
    expect(described.status.name).toBe('RUNNING');
  });
});

describe('MCP over stdio as an API key', () => {
  it('refuses to start on a revoked key, saying why', async () => {
    const { keys } = await tenantWithKeys(stack, 'mcp-revoked', ['operator'] as const);
    await revokeApiKey(stack.client.db, parseApiKey(keys.operator)?.id as string);
    const result = await runCli(
      ['mcp'],
      { ...stackEnv(stack.config), SWARMFLOW_API_KEY: keys.operator },
      60_000,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/the API key was refused \(revoked: revoked at/);
  });

  it("serves a viewer key's tenant with a viewer's permissions", async () => {
    const client = await connectStdio(stack.config, tenantA.keys.viewer);
    clients.push(client);
    const denied = await call(client, 'start_swarm', { goal: 'Not mine to start' });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(
      /permission swarms:start denied: the caller's roles viewer do not grant it/,
    );
    const keyId = parseApiKey(tenantA.keys.viewer)?.id;
    const entries = await auditOf(tenantA.tenantId, 'mcp.start_swarm');
    expect(
      entries.find((entry) => entry.actor.id === keyId && entry.details.transport === 'stdio'),
    ).toMatchObject({ outcome: 'denied', status: 403 });
  });

  it('refuses the old --http flag, pointing at swarmflow serve', async () => {
    const result = await runCli(['mcp', '--http', '0'], stackEnv(stack.config), 60_000);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/swarmflow serve/);
  });
});

/** An OAuth authorization server's metadata (RFC 8414) on loopback: all the MCP client needs to find its authorization page. */
async function startAuthorizationServerMetadata(): Promise<{ issuer: string; close(): Promise<void> }> {
  let issuer = '';
  const http: Server = createServer((request, response) => {
    if (request.url !== '/.well-known/oauth-authorization-server') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { issuer, close: () => new Promise<void>((resolve) => http.close(() => resolve())) };
}
