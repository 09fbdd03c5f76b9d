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
