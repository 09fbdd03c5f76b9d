import { NativeConnection } from '@temporalio/worker';
import { sql } from 'kysely';
import { loadDeploymentConfig } from '../activities/config/load-deployment-config.ts';
import { loadTemporalConnectionOptions } from '../activities/config/temporal-connection.ts';
import { TemporalUnreachableError } from '../activities/config/temporal-unreachable-error.ts';
import { openDatabase, serverAddress } from '../activities/store/database.ts';
import { DatabaseHealth } from '../activities/store/database-health.ts';
import { createTier3Dependencies } from '../activities/tier3/index.ts';
import { createLogger, type Logger } from '../client/logging/create-logger.ts';
import { createTemporalLogger } from '../client/logging/temporal-logger.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { WorkerVersioningRequest } from '../schema/worker-versioning.ts';
import { loadPayloadEncryption } from './codec/data-converter.ts';
import type { MetricsServer } from './metrics-server.ts';
import { freeLoopbackAddress, installedTemporalRuntime, installTemporalRuntime } from './temporal-runtime.ts';
import { describeVersioning } from './versioning.ts';
import { prepareVersioning } from './versioning-setup.ts';
import { createConfiguredWorker } from './worker.ts';
import { startWorkerOperations, type WorkerInProcess } from './worker-operations.ts';

export interface RunWorkerOptions {
  /** Serves `/metrics`, `/healthz` and `/readyz` on this port (0: any free one), with Temporal's own metrics. */
  metricsPort?: number;
  /** The address that endpoint listens on; default 0.0.0.0 (probes and scrapers come from outside the pod). */
  metricsHost?: string;
  /** Told the endpoint's URL once it listens. */
  onMetricsUrl?: (url: string) => void;
  /** With `deploymentName`, the worker polls as that Worker Deployment version (docs/worker-versioning.md). */
  versioning?: WorkerVersioningRequest;
}

/**
 * Runs a worker in the foreground until SIGINT/SIGTERM (Temporal's runtime turns those into a
 * graceful shutdown), then releases the database, the connection and the MCP servers. Models
 * and MCP servers come from the deployment config (`SWARMFLOW_CONFIG` or `swarmflow.config.json`).
 * `logger` (default: createLogger, JSON lines on stdout, pretty on a terminal) gets a line when the
 * database becomes unreachable and when it is back, one at start saying whether payloads are
 * encrypted (`SWARMFLOW_ENCRYPTION_KEYS`) and with which key id, and "worker polling" once it polls.
 * The connection to Temporal is secured as `config.temporalSecurity` says (TLS, mutual TLS, API key).
 * With `options.metricsPort`, it installs the Temporal runtime with core's Prometheus exporter on a
 * loopback port and serves the operations endpoint (see startWorkerOperations) from before it
 * connects (`/healthz` answers while the workflows bundle; `/readyz` says what it waits for).
 * With `options.versioning.deploymentName` the worker polls as that Worker Deployment version.
 * @throws TemporalTlsFileError when a certificate or key file cannot be used.
 * @throws TemporalUnreachableError when Temporal does not answer or refuses the connection.
 */
export async function runWorker(
  config: SwarmflowConfig,
  onReady?: () => void,
  logger: Logger = createLogger({ bindings: { service: 'swarmflow-worker' } }),
  options: RunWorkerOptions = {},
): Promise<void> {
  // The process's Temporal runtime logs through `logger`; with a metrics port, core exports its metrics too.
  if (installedTemporalRuntime() === undefined) {
    installTemporalRuntime({
      logger: createTemporalLogger(logger),
      ...(options.metricsPort === undefined ? {} : { prometheusBindAddress: await freeLoopbackAddress() }),
    });
  }
  const encryption = loadPayloadEncryption();
  const versioned = await prepareVersioning(options.versioning ?? {});
  const connectionOptions = await loadTemporalConnectionOptions(config);
  const tier3 = createTier3Dependencies(await loadDeploymentConfig());
  const database = await openDatabase(config);
  const databaseHealth = new DatabaseHealth({
    address: serverAddress(database.url),
    probe: () => sql`select 1`.execute(database.db),
    log: (line) => logger.warn({ database: serverAddress(database.url) }, line),
  });
  const started: WorkerInProcess = {};
  let operations: MetricsServer | undefined;
  try {
    if (options.metricsPort !== undefined) {
      operations = await startWorkerOperations({
        port: options.metricsPort,
        host: options.metricsHost ?? '0.0.0.0',
        started,
        databaseHealth,
      });
      options.onMetricsUrl?.(operations.url);
    }
    const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
      throw new TemporalUnreachableError(config, error);
    });
    started.connection = connection;
    try {
      const worker = await createConfiguredWorker(config, {
        connection,
        db: database.db,
        databaseHealth,
        tier3,
        dataConverter: encryption.dataConverter,
        ...versioned,
      });
      started.worker = worker;
      logger.info({ encryption: encryption.codec.currentKeyId !== undefined }, encryption.summary);
      if (versioned.deploymentVersion) logger.info(describeVersioning(versioned.deploymentVersion));
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
    await operations?.close();
    databaseHealth.stop();
    await Promise.all([database.close(), tier3.pool.close()]);
  }
}
