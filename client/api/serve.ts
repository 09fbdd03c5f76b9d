import { loadDeploymentConfig } from '../../activities/config/load-deployment-config.ts';
import { openDatabase } from '../../activities/store/database.ts';
import { TenantDatabases } from '../../activities/store/tenant-database.ts';
import type { SwarmflowConfig } from '../../schema/config.ts';
import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import { resolveRoles } from '../../schema/identity.ts';
import { createAuthenticator } from '../auth/authenticate.ts';
import { checkQuota } from '../quotas/check-quota.ts';
import { SwarmflowClient } from '../sdk.ts';
import { mcpEndpoint } from './mcp-endpoint.ts';
import { type ApiServer, type ApiServerOptions, startApiServer, startRefusal } from './server.ts';

export interface ServeOptions
  extends Pick<
    ApiServerOptions,
    | 'host'
    | 'port'
    | 'insecureLocal'
    | 'rateLimitPerMinute'
    | 'bodyLimitBytes'
    | 'logger'
    | 'plugins'
    | 'checkQuota'
    | 'metrics'
  > {
  config: SwarmflowConfig;
  /** Roles and OIDC; read from `swarmflow.config.json` (or SWARMFLOW_CONFIG) when absent. */
  deployment?: DeploymentConfig;
}

/**
 * Opens what the API server needs (the database, migrated; Temporal; the tenant pool) and serves
 * the REST API and MCP at `/mcp` (client/api/mcp-endpoint.ts);
 * closing the server closes them all.
 * @throws Error naming the fix when the options are refused (no auth off loopback), and the
 *   database's or Temporal's connection errors.
 */
export async function serveApi(options: ServeOptions): Promise<ApiServer> {
  const deployment = options.deployment ?? (await loadDeploymentConfig());
  const database = await openDatabase(options.config);
  const authenticator = options.insecureLocal
    ? undefined
    : createAuthenticator({ db: database.db, oidc: deployment.oidc });
  const refusal = startRefusal({ host: options.host, insecureLocal: options.insecureLocal, authenticator });
  if (refusal) {
    await database.close();
    throw new Error(refusal);
  }
  let client: SwarmflowClient | undefined;
  const tenantDatabases = new TenantDatabases(database.url);
  try {
    client = await SwarmflowClient.connect({ config: options.config, database });
    const opened = client;
    const server = await startApiServer({
      ...options,
      client,
      tenantDatabases,
      authenticator,
      roles: resolveRoles({ roles: deployment.roles }),
      plugins: [
        mcpEndpoint({ authorizationServers: deployment.oidc ? [deployment.oidc.issuer] : [] }),
        ...(options.plugins ?? []),
      ],
      checkQuota:
        options.checkQuota ??
        ((tenantId, kind) => checkQuota({ db: database.db, temporal: opened.temporal }, tenantId, kind)),
    });
    return {
      ...server,
      async close() {
        await server.close();
        await tenantDatabases.close();
        await opened.close();
        await database.close();
      },
    };
  } catch (error) {
    await tenantDatabases.close();
    await client?.close();
    await database.close();
    throw error;
  }
}
