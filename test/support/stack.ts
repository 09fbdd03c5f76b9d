import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { openDatabase } from '../../activities/store/database.ts';
import type { TaskTypeRegistry } from '../../activities/task-types/registry.ts';
import { SwarmflowClient } from '../../client/sdk.ts';
import { loadConfig, type SwarmflowConfig } from '../../schema/config.ts';
import { quietTemporalLogs } from '../../workers/logging.ts';
import { createSwarmflowWorker } from '../../workers/worker.ts';

quietTemporalLogs();

export interface TestStack {
  client: SwarmflowClient;
  config: SwarmflowConfig;
  /** Starts a worker on the stack's task queue; stopped by `stop()`. */
  startWorker(options?: { taskTypes?: TaskTypeRegistry }): Promise<Worker>;
  stop(): Promise<void>;
}

/** The run's shared dev server and database, a task queue of the test file's own, and a client. */
export async function startTestStack(): Promise<TestStack> {
  const config: SwarmflowConfig = {
    ...loadConfig({}),
    temporalAddress: inject('temporalAddress'),
    databaseUrl: inject('databaseUrl'),
    home: inject('testDataDir'),
    taskQueue: `test-${randomUUID()}`,
  };
  const database = await openDatabase(config);
  const client = await SwarmflowClient.connect({ config, database });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const workflowBundle = { code: await readFile(inject('workflowBundlePath'), 'utf8') };
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  return {
    client,
    config,
    async startWorker(options = {}) {
      const worker = await createSwarmflowWorker({
        connection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        db: database.db,
        workflowBundle,
        ...(options.taskTypes ? { taskTypes: options.taskTypes } : {}),
      });
      workers.push({ worker, running: worker.run() });
      return worker;
    },
    async stop() {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.all(workers.map(({ running }) => running));
      await client.close();
      await connection.close();
      await database.close();
    },
  };
}
