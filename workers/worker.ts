import type { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities } from '../activities/index.ts';
import type { DatabaseHealth } from '../activities/store/database-health.ts';
import { builtinTaskTypes } from '../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../activities/task-types/registry.ts';
import {
  createTier3Dependencies,
  type Tier3Dependencies,
  withMcpTaskTypes,
} from '../activities/tier3/index.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import { swarmflowDataConverter } from './codec/data-converter.ts';
import { DatabaseOutageInterceptor } from './database-outage-interceptor.ts';
import { logAttributesInterceptor } from './log-attributes-interceptor.ts';
import { workflowBundleOptions } from './workflow-bundle.ts';

export interface SwarmflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  /** Tracks `db`'s reachability: with it, an activity that loses the database fails as `DatabaseUnavailable` once it answers again. */
  databaseHealth?: DatabaseHealth;
  /** The client activities signal workflows with; without one, a client on `connection` with `dataConverter`. */
  temporal?: Client;
  /** Payload encryption for the worker and its client; without one, from the environment (`SWARMFLOW_ENCRYPTION_KEYS`). */
  dataConverter?: DataConverter;
  /** A prebuilt bundle (tests build one per run); without it the worker bundles the workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Without it: the built-in task types and `mcp:<server>/<tool>` of the deployment's MCP servers. */
  taskTypes?: TaskTypeRegistry;
  /** Models and MCP servers (see createTier3Dependencies; the caller closes the pool); default none. */
  tier3?: Tier3Dependencies;
  tuning?: Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentActivityTaskExecutions'
    | 'shutdownGraceTime'
    | 'stickyQueueScheduleToStartTimeout'
  >;
}

/** A worker that polls Swarmflow's task queue with its workflows and activities. */
export function createSwarmflowWorker(options: SwarmflowWorkerOptions): Promise<Worker> {
  const tier3 = options.tier3 ?? createTier3Dependencies();
  const taskTypes = options.taskTypes ?? withMcpTaskTypes(new TaskTypeRegistry(builtinTaskTypes), tier3);
  const dataConverter = options.dataConverter ?? swarmflowDataConverter();
  const temporal =
    options.temporal ??
    new Client({ connection: options.connection, namespace: options.namespace, dataConverter });
  const { databaseHealth } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    dataConverter,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : {
          workflowsPath: workflowBundleOptions.workflowsPath,
          bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
        }),
    activities: {
      ...createActivities({
        db: options.db,
        taskTypes,
        temporal,
        taskQueue: options.taskQueue,
        tier3,
      }),
    },
    interceptors: {
      // A prebuilt bundle has its workflow interceptor modules already (bundleWorkflowCode with workflowBundleOptions).
      ...(options.workflowBundle
        ? {}
        : { workflowModules: workflowBundleOptions.workflowInterceptorModules }),
      activity: [
        logAttributesInterceptor,
        ...(databaseHealth
          ? [(context: Context) => ({ inbound: new DatabaseOutageInterceptor(databaseHealth, context) })]
          : []),
      ],
    },
    shutdownGraceTime: '10 seconds',
    ...options.tuning,
  });
}

/** A worker on the configured namespace and task queue. */
export function createConfiguredWorker(
  config: SwarmflowConfig,
  dependencies: Pick<
    SwarmflowWorkerOptions,
    'connection' | 'db' | 'databaseHealth' | 'tier3' | 'dataConverter'
  >,
): Promise<Worker> {
  return createSwarmflowWorker({
    ...dependencies,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
  });
}
