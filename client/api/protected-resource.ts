import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where OAuth 2.0 Protected Resource Metadata (RFC 9728) lives: this path, plus the resource's own path. */
export const protectedResourceMetadataPath = '/.well-known/oauth-protected-resource';

/**
 * The API server as an OAuth 2.0 protected resource (RFC 9728), as the MCP authorization spec
 * asks of an MCP server: `GET /.well-known/oauth-protected-resource` describes the whole API (one
 * door, one kind of token for REST and MCP), `GET /.well-known/oauth-protected-resource/mcp` the MCP
 * endpoint alone; both name the OIDC issuer (when one is configured) as the authorization server.
 * They list no `scopes_supported`: what a token may do comes from its roles, not scopes, and a
 * client would otherwise ask the provider for scopes it does not know.
 * URLs are built from the request's protocol and Host, so the document names the address the
 * client used.
 */
export function registerProtectedResourceMetadata(
  app: FastifyInstance,
  options: { authorizationServers: readonly string[]; resourcePaths: readonly string[] },
): void {
  for (const resourcePath of ['', ...options.resourcePaths]) {
    app.get(
      `${protectedResourceMetadataPath}${resourcePath}`,
      { schema: { hide: true } },
      async (request) => {
        const metadata: OAuthProtectedResourceMetadata = {
          resource: `${publicBase(request)}${resourcePath}`,
          ...(options.authorizationServers.length > 0
            ? { authorization_servers: [...options.authorizationServers] }
            : {}),
          bearer_methods_supported: ['header'],
          resource_name: 'Swarmflow',
          resource_documentation: `${publicBase(request)}/openapi.json`,
        };
        return metadata;
      },
    );
  }
}

/**
 * The `WWW-Authenticate` challenge of a 401: where the resource's metadata is, and, when the
 * request carried a token that was refused, `error="invalid_token"` (RFC 6750 §3.1).
 */
export function bearerChallenge(request: FastifyRequest, tokenRefused: boolean): string {
  const metadata = `resource_metadata="${publicBase(request)}${protectedResourceMetadataPath}"`;
  return tokenRefused
    ? `Bearer ${metadata}, error="invalid_token", error_description="the token is not valid here"`
    : `Bearer ${metadata}`;
}

/** The API server's base URL as the client reached it. */
export function publicBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
