import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { builtinTaskTypes } from '../../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../../activities/task-types/registry.ts';
import type { Database } from '../../schema/db/tables.ts';
import { swarmflowDataConverter } from '../../workers/codec/data-converter.ts';
import { createSwarmflowWorker, type SwarmflowWorkerOptions } from '../../workers/worker.ts';
import { createBareActivities } from './activities.ts';
import { bareTaskQueue } from './names.ts';

export const baselineWorkflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

export interface BaselineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  bundlePath: string;
  tuning: SwarmflowWorkerOptions['tuning'];
}

/**
 * The baseline's workers: Swarmflow's own worker (the same activities and options) running the
 * baseline's workflow bundle instead of Swarmflow's, and an activity-only worker for the bare step.
 */
export function createBaselineWorkers(options: BaselineWorkerOptions): Promise<Worker[]> {
  return Promise.all([
    createSwarmflowWorker({ ...options, workflowBundle: { codePath: options.bundlePath } }),
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: bareTaskQueue(options.taskQueue),
      // The baseline workflow, in Swarmflow's worker, encodes the bare step's input with the same codec.
      dataConverter: swarmflowDataConverter(),
      activities: createBareActivities(new TaskTypeRegistry(builtinTaskTypes)),
      shutdownGraceTime: '10 seconds',
    }),
  ]);
}
