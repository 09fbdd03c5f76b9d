import { NativeConnection } from '@temporalio/worker';
import { sql } from 'kysely';
import { loadDeploymentConfig } from '../activities/config/load-deployment-config.ts';
import { loadTemporalConnectionOptions } from '../activities/config/temporal-connection.ts';
import { TemporalUnreachableError } from '../activities/config/temporal-unreachable-error.ts';
import { openDatabase, serverAddress } from '../activities/store/database.ts';
import { DatabaseHealth } from '../activities/store/database-health.ts';
import { createTier3Dependencies } from '../activities/tier3/index.ts';
import { createLogger, type Logger } from '../client/logging/create-logger.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import { loadPayloadEncryption } from './codec/data-converter.ts';
import { createConfiguredWorker } from './worker.ts';

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM (Temporal's runtime turns those into a
 * graceful shutdown), then releases the database, the connection and the MCP servers. Models
 * and MCP servers come from the deployment config (`SWARMFLOW_CONFIG` or `swarmflow.config.json`).
 * `logger` (default: createLogger, JSON lines on stdout, pretty on a terminal) gets a line when the
 * database becomes unreachable and when it is back, one at start saying whether payloads are
 * encrypted (`SWARMFLOW_ENCRYPTION_KEYS`) and with which key id, and "worker polling" once it polls.
 * The connection to Temporal is secured as `config.temporalSecurity` says (TLS, mutual TLS, API key).
 * @throws TemporalTlsFileError when a certificate or key file cannot be used.
 * @throws TemporalUnreachableError when Temporal does not answer or refuses the connection.
 */
export async function runWorker(
  config: SwarmflowConfig,
  onReady?: () => void,
  logger: Logger = createLogger({ bindings: { service: 'swarmflow-worker' } }),
): Promise<void> {
  const encryption = loadPayloadEncryption();
  const connectionOptions = await loadTemporalConnectionOptions(config);
  const tier3 = createTier3Dependencies(await loadDeploymentConfig());
  const database = await openDatabase(config);
  const databaseHealth = new DatabaseHealth({
    address: serverAddress(database.url),
    probe: () => sql`select 1`.execute(database.db),
    log: (line) => logger.warn({ database: serverAddress(database.url) }, line),
  });
  try {
    const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
      throw new TemporalUnreachableError(config, error);
    });
    try {
      const worker = await createConfiguredWorker(config, {
        connection,
        db: database.db,
        databaseHealth,
        tier3,
        dataConverter: encryption.dataConverter,
      });
      logger.info({ encryption: encryption.codec.currentKeyId !== undefined }, encryption.summary);
      const running = worker.run();
      logger.info(
        {
          taskQueue: config.taskQueue,
          namespace: config.temporalNamespace,
          temporalAddress: config.temporalAddress,
        },
        `worker polling ${config.taskQueue} on ${config.temporalAddress}`,
      );
      onReady?.();
      await running;
    } finally {
      await connection.close();
    }
  } finally {
    databaseHealth.stop();
    await Promise.all([database.close(), tier3.pool.close()]);
  }
}
