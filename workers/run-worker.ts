import { NativeConnection } from '@temporalio/worker';
import { loadDeploymentConfig } from '../activities/config/load-deployment-config.ts';
import { openDatabase } from '../activities/store/database.ts';
import { createTier3Dependencies } from '../activities/tier3/index.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import { createConfiguredWorker } from './worker.ts';

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM (Temporal's runtime turns those into a
 * graceful shutdown), then releases the database, the connection and the MCP servers. Models
 * and MCP servers come from the deployment config (`SWARMFLOW_CONFIG` or `swarmflow.config.json`).
 */
export async function runWorker(config: SwarmflowConfig, onReady?: () => void): Promise<void> {
  const tier3 = createTier3Dependencies(await loadDeploymentConfig());
  const database = await openDatabase(config);
  try {
    const connection = await NativeConnection.connect({ address: config.temporalAddress });
    try {
      const worker = await createConfiguredWorker(config, { connection, db: database.db, tier3 });
      const running = worker.run();
      onReady?.();
      await running;
    } finally {
      await connection.close();
    }
  } finally {
    await Promise.all([database.close(), tier3.pool.close()]);
  }
}
