import { z } from 'zod';
import { TemporalSecurity, temporalSecurityFromEnv } from './temporal-security.ts';
import { parseInput } from './validation.ts';

/** Deployment settings, read from the environment at every process entry point. */
export const SwarmflowConfig = z.object({
  temporalAddress: z.string().min(1).default('127.0.0.1:7233'),
  temporalNamespace: z.string().min(1).default('default'),
  temporalSecurity: TemporalSecurity.default({}).describe('TLS, mutual TLS and API key for Temporal'),
  taskQueue: z.string().min(1).default('swarmflow'),
  databaseUrl: z.string().url().optional().describe('a PostgreSQL URL; without one, embedded PGlite is used'),
  home: z.string().min(1).describe('data folder for the embedded database and the dev server'),
  tenantId: z.string().min(1).default('default'),
});
export type SwarmflowConfig = z.infer<typeof SwarmflowConfig>;

/**
 * Reads the configuration from environment variables; `cwd` anchors the default data folder.
 * The Temporal connection's security comes from Temporal's own variables (TEMPORAL_TLS,
 * TEMPORAL_TLS_*_PATH, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_API_KEY; schema/temporal-security.ts).
 * @throws ValidationError naming each bad setting and how to fix it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SwarmflowConfig {
  return parseInput(
    SwarmflowConfig,
    {
      temporalAddress: env.TEMPORAL_ADDRESS || undefined,
      temporalNamespace: env.TEMPORAL_NAMESPACE || undefined,
      temporalSecurity: temporalSecurityFromEnv(env),
      taskQueue: env.SWARMFLOW_TASK_QUEUE || undefined,
      databaseUrl: env.DATABASE_URL || undefined,
      home: env.SWARMFLOW_HOME || `${cwd}/.swarmflow`,
      tenantId: env.SWARMFLOW_TENANT || undefined,
    },
    'configuration',
  );
}
