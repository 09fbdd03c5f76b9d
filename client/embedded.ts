import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { loadDeploymentConfig } from '../activities/config/load-deployment-config.ts';
import { loadTemporalConnectionOptions } from '../activities/config/temporal-connection.ts';
import { openDatabase } from '../activities/store/database.ts';
import { createTier3Dependencies } from '../activities/tier3/index.ts';
import { loadConfig } from '../schema/config.ts';
import type { DeploymentConfig } from '../schema/deployment-config.ts';
import { swarmflowDataConverter } from '../workers/codec/data-converter.ts';
import { quietTemporalLogs } from '../workers/logging.ts';
import { createConfiguredWorker } from '../workers/worker.ts';
import { SwarmflowClient } from './sdk.ts';
import { onDevServer, startDevServer } from './server/dev-server.ts';
import { tearDownOnExit } from './server/teardown-on-exit.ts';

/**
 * Runs `work` against a throwaway stack: a dev server, an in-process worker and the embedded
 * database (or DATABASE_URL), all in a temporary folder that is removed afterwards. The worker's
 * models and MCP servers come from `options.deployment`, else from the deployment config, as a
 * worker process's do. With `uiPort`, the dev server serves the Temporal Web UI there.
 */
export async function withEmbeddedStack<T>(
  work: (client: SwarmflowClient) => Promise<T>,
  options: {
    deployment?: DeploymentConfig;
    uiPort?: number;
  } = {},
): Promise<T> {
  quietTemporalLogs();
  const tier3 = createTier3Dependencies(options.deployment ?? (await loadDeploymentConfig()));
  const home = await mkdtemp(join(tmpdir(), 'swarmflow-embedded-'));
  const ui = options.uiPort === undefined ? {} : { ui: true, uiPort: options.uiPort };
  const server = await startDevServer({ home, throwawayHome: true, ...ui });
  // The dev server's watchdog stops it if this process dies; a signal or a dead parent also removes the folder.
  const stopWatching = tearDownOnExit(async () => {
    await Promise.allSettled([server.stop(), tier3.pool.close()]);
    await rm(home, { recursive: true, force: true });
  });
  try {
    const config = onDevServer({ ...loadConfig(), home }, server);
    const dataConverter = swarmflowDataConverter();
    const database = await openDatabase(config);
    try {
      const connection = await NativeConnection.connect(await loadTemporalConnectionOptions(config));
      const worker = await createConfiguredWorker(config, {
        connection,
        db: database.db,
        tier3,
        dataConverter,
      });
      const client = await SwarmflowClient.connect({ config, database, dataConverter });
      try {
        return await worker.runUntil(() => work(client));
      } finally {
        await client.close();
        await connection.close();
      }
    } finally {
      await database.close();
    }
  } finally {
    stopWatching();
    await Promise.all([server.stop(), tier3.pool.close()]);
    await rm(home, { recursive: true, force: true });
  }
}
