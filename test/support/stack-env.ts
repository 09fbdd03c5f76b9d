import type { SwarmflowConfig } from '../../schema/config.ts';

/** The environment that points a `swarmflow` process at a test stack's server, database, task queue and tenant. */
export function stackEnv(config: SwarmflowConfig): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(inherited),
    SWARMFLOW_HOME: config.home,
    TEMPORAL_ADDRESS: config.temporalAddress,
    DATABASE_URL: config.databaseUrl ?? '',
    SWARMFLOW_TASK_QUEUE: config.taskQueue,
    SWARMFLOW_TENANT: config.tenantId,
  };
}
