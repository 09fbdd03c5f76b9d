import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../../schema/identity.ts';
import { bearerToken } from '../auth/authenticate.ts';
import { isLoopbackHost } from '../codec-server.ts';
import { callerAuthInfo, callerFromAuthInfo, type McpCaller } from '../mcp/guarded-tool.ts';
import { reply as jsonRpcError, McpHttpSessions, parseJsonBody } from '../mcp/http-sessions.ts';
import { createMcpServer } from '../mcp/server.ts';
import { UnauthenticatedError } from './error-reply.ts';
import { bearerChallenge, registerProtectedResourceMetadata } from './protected-resource.ts';
import type { ApiServices } from './server.ts';

/** Where the API server serves MCP over Streamable HTTP. */
export const MCP_PATH = '/mcp';

export interface McpEndpointOptions {
  /** The OAuth authorization servers clients get tokens from (the OIDC issuer); none: API keys only. */
  authorizationServers?: readonly string[];
}

/**
 * The API server's plugin serving MCP over Streamable HTTP at `/mcp` under the REST API's auth:
 * every request carries `Authorization: Bearer <API key or OIDC token>` (none with
 * `--insecure-local`); without a valid one it is a 401 whose `WWW-Authenticate` points at the
 * protected resource metadata (`/.well-known/oauth-protected-resource`, also served here), as the
 * MCP authorization spec asks. A session belongs to the identity that initialized it; its tools
 * act through the tenant-bound client of the identity of each request, each checking its one
 * permission (client/mcp/tool-permissions.ts), and are audited as `mcp.<tool>`. On a loopback
 * address only loopback `Host` headers are served, against DNS rebinding.
 */
export function mcpEndpoint(options: McpEndpointOptions = {}) {
  return async (app: FastifyInstance, services: ApiServices): Promise<void> => {
    registerProtectedResourceMetadata(app, {
      authorizationServers: options.authorizationServers ?? [],
      resourcePaths: [MCP_PATH],
    });
    const sessions = new McpHttpSessions(() =>
      createMcpServer({ roles: services.roles, callerOf: callerFromAuthInfo }),
    );
    app.addHook('onClose', () => sessions.close());

    // Its own scope: MCP bodies are parsed here, so a bad one is a JSON-RPC parse error, not a REST one.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
        done(null, body === '' ? undefined : parseJsonBody(body as string));
      });
      scope.route({
        method: ['GET', 'POST', 'DELETE'],
        url: MCP_PATH,
        schema: { hide: true },
        onRequest: async (request, reply) => {
          if (!hostAllowed(app, request)) {
            return reply
              .code(403)
              .send(jsonRpc(-32000, `Host ${request.headers.host ?? '(none)'} is not served here`));
          }
          try {
            await services.authenticate(request);
          } catch (error) {
            if (!(error instanceof UnauthenticatedError)) throw error;
            return refuseUnauthenticated(request, reply, services);
          }
          return undefined;
        },
        handler: async (request, reply) => {
          const identity = request.identity as Identity;
          const caller: McpCaller = {
            identity,
            client: services.clientFor(identity),
            audit: (entry) => services.audit({ request, identity, ...entry }),
            checkQuota: (kind) => services.checkQuota(identity, kind),
          };
          // Server-sent event streams (GET) stay open for as long as the client listens.
          if (request.method === 'GET') request.raw.socket.setTimeout(0);
          reply.hijack();
          try {
            await sessions.handle(request.raw, reply.raw, request.body, {
              owner: sessionOwner(identity),
              authInfo: callerAuthInfo(caller, bearerToken(request.headers.authorization) ?? ''),
            });
          } catch (error) {
            request.log.error({ err: error }, 'MCP request failed');
            if (!reply.raw.headersSent) jsonRpcError(reply.raw, 500, -32603, 'internal error');
          }
        },
      });
    });
  };
}

/** A 401 pointing at the protected resource metadata; a refused token (not a missing one) is audited. */
async function refuseUnauthenticated(
  request: FastifyRequest,
  reply: FastifyReply,
  services: ApiServices,
): Promise<FastifyReply> {
  const tokenRefused = request.authFailure !== undefined && !request.authFailure.reason.startsWith('missing');
  if (tokenRefused) {
    await services.audit({
      request,
      identity: undefined,
      action: 'mcp.connect',
      target: { kind: 'mcp' },
      outcome: 'denied',
      status: 401,
      reason: request.authFailure?.reason,
    });
  }
  return reply
    .code(401)
    .header('www-authenticate', bearerChallenge(request, tokenRefused))
    .send(jsonRpc(-32001, new UnauthenticatedError().message));
}

/** Whose a session is: requests on it must come from the same identity. */
function sessionOwner(identity: Identity): string {
  return JSON.stringify([identity.kind, identity.tenantId, identity.subject]);
}

/** On a loopback address, only a loopback Host with the bound port (DNS rebinding protection). */
function hostAllowed(app: FastifyInstance, request: FastifyRequest): boolean {
  const { address, port } = app.server.address() as AddressInfo;
  if (!isLoopbackHost(address)) return true;
  const allowed = ['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${port}`);
  return allowed.includes(request.headers.host ?? '');
}

function jsonRpc(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
