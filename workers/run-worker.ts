import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../activities/store/database.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import { createSwarmflowWorker } from './worker.ts';

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM (Temporal's runtime turns those into a
 * graceful shutdown), then releases the database and the connection.
 */
export async function runWorker(config: SwarmflowConfig, onReady?: () => void): Promise<void> {
  const database = await openDatabase(config);
  try {
    const connection = await NativeConnection.connect({ address: config.temporalAddress });
    try {
      const worker = await createSwarmflowWorker({
        connection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        db: database.db,
      });
      const running = worker.run();
      onReady?.();
      await running;
    } finally {
      await connection.close();
    }
  } finally {
    await database.close();
  }
}
