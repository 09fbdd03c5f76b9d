import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../activities/store/audit-log.ts';
import { TenantDatabases } from '../../activities/store/tenant-database.ts';
import { actorOf } from '../../schema/audit.ts';
import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import { type AuthFailureReason, type Identity, localIdentity, resolveRoles } from '../../schema/identity.ts';
import { createAuthenticator } from '../auth/authenticate.ts';
import type { SwarmflowClient } from '../sdk.ts';
import type { McpAccess, McpAuditEntry, McpCaller } from './guarded-tool.ts';

/** `swarmflow mcp` was given a key (or token) the database does not accept. */
export class McpKeyRefusedError extends Error {
  override readonly name = 'McpKeyRefusedError';
  constructor(
    readonly reason: AuthFailureReason,
    detail: string,
  ) {
    super(
      `the API key was refused (${reason}: ${detail}); give a valid key with --api-key or SWARMFLOW_API_KEY (swarmflow keys create makes one), or none to serve as the local operator`,
    );
  }
}

/** Who the stdio MCP server acts as, and what to close when it ends. */
export interface StdioAccess {
  access: McpAccess;
  identity: Identity;
  close(): Promise<void>;
}

/**
 * The caller of every tool call of an MCP server over stdio. With `apiKey`, the identity the key
 * names, authenticated against the database in direct mode, acting on its tenant only (a
 * tenant-bound client on a row-level-secured connection) with its roles' permissions. Without
 * one, today's local operator: an admin of the configured tenant with the direct client.
 * Either way mutating calls and refusals are audited, as the API server's `/mcp` does.
 * @throws McpKeyRefusedError when the key is malformed, unknown, revoked, expired or its tenant
 *   disabled.
 */
export async function openStdioAccess(
  client: SwarmflowClient,
  options: { apiKey?: string | undefined; deployment: DeploymentConfig },
): Promise<StdioAccess> {
  const roles = resolveRoles({ roles: options.deployment.roles });
  const auditLog = new AuditLog(client.db);
  const requestId = randomUUID();
  const caller = (identity: Identity, tenantClient: SwarmflowClient): McpCaller => ({
    identity,
    client: tenantClient,
    checkQuota: async () => {},
    audit: async (entry: McpAuditEntry) => {
      try {
        await auditLog.append({
          tenant: identity.tenantId,
          actor: actorOf(identity),
          action: entry.action,
          target: {
            kind: entry.target.kind,
            ...(entry.target.id === undefined ? {} : { id: entry.target.id }),
          },
          requestId,
          outcome: entry.outcome,
          status: entry.status,
          ...(entry.reason === undefined ? {} : { reason: entry.reason.slice(0, 2000) }),
          details: { transport: 'stdio' },
        });
      } catch (error) {
        process.stderr.write(`audit append failed for ${entry.action}: ${(error as Error).message}\n`);
      }
    },
  });

  if (options.apiKey === undefined) {
    const identity = localIdentity(client.config.tenantId);
    const fixed = caller(identity, client);
    return { access: { roles, callerOf: () => fixed }, identity, close: async () => {} };
  }

  const authenticator = createAuthenticator({ db: client.db, oidc: options.deployment.oidc });
  const result = await authenticator.authenticateToken(options.apiKey);
  if (!result.ok) throw new McpKeyRefusedError(result.reason, result.detail);
  const { identity } = result;
  const tenantDatabases = new TenantDatabases(client.databaseUrl);
  const fixed = caller(
    identity,
    client.forTenant(identity.tenantId, tenantDatabases.forTenant(identity.tenantId)),
  );
  return { access: { roles, callerOf: () => fixed }, identity, close: () => tenantDatabases.close() };
}
