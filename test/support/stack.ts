import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { parseDeploymentConfig } from '../../activities/config/load-deployment-config.ts';
import { loadTemporalConnectionOptions } from '../../activities/config/temporal-connection.ts';
import { openDatabase } from '../../activities/store/database.ts';
import type { TaskTypeRegistry } from '../../activities/task-types/registry.ts';
import { createTier3Dependencies, type Tier3Dependencies } from '../../activities/tier3/index.ts';
import { SwarmflowClient } from '../../client/sdk.ts';
import { loadConfig, type SwarmflowConfig } from '../../schema/config.ts';
import type { DeploymentConfigInput } from '../../schema/deployment-config.ts';
import { swarmflowDataConverter } from '../../workers/codec/data-converter.ts';
import { quietTemporalLogs } from '../../workers/logging.ts';
import { createSwarmflowWorker, type SwarmflowWorkerOptions } from '../../workers/worker.ts';

quietTemporalLogs();

export interface TestStack {
  client: SwarmflowClient;
  config: SwarmflowConfig;
  /** The payload encryption of the stack's client and (unless a worker is given its own) of its workers. */
  dataConverter: DataConverter;
  /** Starts a worker on the stack's task queue; stopped by `stop()`. */
  startWorker(options?: WorkerStartOptions): Promise<Worker>;
  /** Shuts a worker down and waits until it has stopped (its MCP servers included). */
  stopWorker(worker: Worker): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerStartOptions {
  taskTypes?: TaskTypeRegistry;
  /** The worker's deployment config (models, MCP servers, prices, tool policy); paths relative to the repo. */
  deployment?: DeploymentConfigInput;
  /** Models or breakers to use instead of the ones the deployment config makes. */
  tier3?: Partial<Pick<Tier3Dependencies, 'models' | 'breakers'>>;
  tuning?: SwarmflowWorkerOptions['tuning'];
  /** Payload encryption for this worker instead of the stack's (a key rotation, say). */
  dataConverter?: DataConverter;
  /** A connection to Temporal of the test's own (over TLS, say) instead of the stack's; the test closes it. */
  connection?: NativeConnection;
  /** Worker Versioning: the Worker Deployment version the worker polls as; without it, unversioned. */
  deploymentVersion?: SwarmflowWorkerOptions['deploymentVersion'];
}

export interface TestStackOptions {
  /** Payload encryption for the client and workers; without it, from the environment as a process's is. */
  dataConverter?: DataConverter;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The run's shared dev server and database, a task queue of the test file's own, and a client;
 * `overrides` such as a tenant of its own keep a file's catalog apart from the others'.
 */
export async function startTestStack(
  overrides: Partial<SwarmflowConfig> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const config: SwarmflowConfig = {
    ...loadConfig({}),
    temporalAddress: inject('temporalAddress'),
    databaseUrl: inject('databaseUrl'),
    home: inject('testDataDir'),
    taskQueue: `test-${randomUUID()}`,
    ...overrides,
  };
  const dataConverter = options.dataConverter ?? swarmflowDataConverter();
  const database = await openDatabase(config);
  const client = await SwarmflowClient.connect({ config, database, dataConverter });
  const connection = await NativeConnection.connect(await loadTemporalConnectionOptions(config));
  const workflowBundle = { code: await readFile(inject('workflowBundlePath'), 'utf8') };
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  const stopWorker = async (stopped: Worker) => {
    const entry = workers.find(({ worker }) => worker === stopped);
    if (stopped.getState() === 'RUNNING') stopped.shutdown();
    await entry?.running;
  };
  return {
    client,
    config,
    dataConverter,
    async startWorker(options = {}) {
      const deployment = parseDeploymentConfig(options.deployment ?? {}, repoRoot);
      const tier3 = createTier3Dependencies(deployment, options.tier3);
      const worker = await createSwarmflowWorker({
        connection: options.connection ?? connection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        db: database.db,
        workflowBundle,
        tier3,
        dataConverter: options.dataConverter ?? dataConverter,
        ...(options.taskTypes ? { taskTypes: options.taskTypes } : {}),
        ...(options.tuning ? { tuning: options.tuning } : {}),
        ...(options.deploymentVersion ? { deploymentVersion: options.deploymentVersion } : {}),
      });
      workers.push({ worker, running: worker.run().finally(() => tier3.pool.close()) });
      return worker;
    },
    stopWorker,
    async stop() {
      await Promise.all(workers.map(({ worker }) => stopWorker(worker)));
      await client.close();
      await connection.close();
      await database.close();
    },
  };
}
