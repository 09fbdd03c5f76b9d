import { randomBytes } from 'node:crypto';
import { parseDeploymentConfig } from '../../activities/config/load-deployment-config.ts';
import { createApiKey } from '../../activities/store/api-keys.ts';
import { createTenant } from '../../activities/store/tenants.ts';
import { type ServeOptions, serveApi } from '../../client/api/serve.ts';
import type { ApiServer } from '../../client/api/server.ts';
import type { DeploymentConfigInput } from '../../schema/deployment-config.ts';
import type { TestStack } from './stack.ts';

/** The API server in front of a test stack: the stack's Temporal, database and task queue. */
export async function startTestApiServer(
  stack: TestStack,
  options: Partial<Omit<ServeOptions, 'config' | 'deployment'>> & { deployment?: DeploymentConfigInput } = {},
): Promise<ApiServer> {
  const { deployment, ...rest } = options;
  return serveApi({
    config: stack.config,
    host: '127.0.0.1',
    port: 0,
    deployment: parseDeploymentConfig(deployment ?? {}, process.cwd()),
    ...rest,
  });
}

/** A new tenant of its own (a random id with `prefix`) and an API key of each role asked for. */
export async function tenantWithKeys<R extends string>(
  stack: TestStack,
  prefix: string,
  roles: readonly R[],
): Promise<{ tenantId: string; keys: Record<R, string> }> {
  const tenantId = `${prefix}-${randomBytes(4).toString('hex')}`;
  await createTenant(stack.client.db, { id: tenantId, name: tenantId });
  const keys = {} as Record<R, string>;
  for (const role of roles) {
    const created = await createApiKey(stack.client.db, {
      tenantId,
      name: `${role} key`,
      role,
      createdBy: 'test',
    });
    keys[role] = created.key;
  }
  return { tenantId, keys };
}
