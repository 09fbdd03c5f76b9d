import { z } from 'zod';

/** Deployment settings, read from the environment at every process entry point. */
export const SwarmflowConfig = z.object({
  temporalAddress: z.string().min(1).default('127.0.0.1:7233'),
  temporalNamespace: z.string().min(1).default('default'),
  taskQueue: z.string().min(1).default('swarmflow'),
  databaseUrl: z.string().url().optional().describe('a PostgreSQL URL; without one, embedded PGlite is used'),
  home: z.string().min(1).describe('data folder for the embedded database and the dev server'),
  tenantId: z.string().min(1).default('default'),
});
export type SwarmflowConfig = z.infer<typeof SwarmflowConfig>;

/** Reads the configuration from environment variables; `cwd` anchors the default data folder. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SwarmflowConfig {
  return SwarmflowConfig.parse({
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || undefined,
    taskQueue: env.SWARMFLOW_TASK_QUEUE || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    home: env.SWARMFLOW_HOME || `${cwd}/.swarmflow`,
    tenantId: env.SWARMFLOW_TENANT || undefined,
  });
}
