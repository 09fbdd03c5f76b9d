import type { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities } from '../activities/index.ts';
import { processMetrics } from '../activities/metrics/process-metrics.ts';
import { watchBacklog, watchCircuitBreakers } from '../activities/metrics/state-gauges.ts';
import type { DatabaseHealth } from '../activities/store/database-health.ts';
import { builtinTaskTypes } from '../activities/task-types/builtins.ts';
import { TaskTypeRegistry } from '../activities/task-types/registry.ts';
import {
  createTier3Dependencies,
  type Tier3Dependencies,
  withMcpTaskTypes,
} from '../activities/tier3/index.ts';
import { tracingClientInterceptors } from '../client/telemetry/temporal-client-interceptors.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import type { WorkerDeploymentVersion } from '../schema/worker-versioning.ts';
import { swarmflowDataConverter } from './codec/data-converter.ts';
import { DatabaseOutageInterceptor } from './database-outage-interceptor.ts';
import { logAttributesInterceptor } from './log-attributes-interceptor.ts';
import { tracingActivityInterceptors, workflowSpanSinks } from './tracing.ts';
import { workerDeploymentOptions } from './versioning.ts';
import { versionedWorkflowBundleOptions, workflowBundleOptions } from './workflow-bundle.ts';

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
  /** Worker Versioning: the Worker Deployment version the worker polls as (docs/worker-versioning.md); without it, unversioned. */
  deploymentVersion?: WorkerDeploymentVersion;
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
    new Client({
      connection: options.connection,
      namespace: options.namespace,
      dataConverter,
      interceptors: tracingClientInterceptors(),
    });
  const { databaseHealth } = options;
  watchCircuitBreakers(processMetrics(), tier3.breakers);
  watchBacklog(processMetrics(), { db: options.db, temporal });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    dataConverter,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : {
          workflowsPath: (options.deploymentVersion ? versionedWorkflowBundleOptions : workflowBundleOptions)
            .workflowsPath,
          bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
        }),
    sinks: workflowSpanSinks(),
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
        ...tracingActivityInterceptors(),
        logAttributesInterceptor,
        ...(databaseHealth
          ? [(context: Context) => ({ inbound: new DatabaseOutageInterceptor(databaseHealth, context) })]
          : []),
      ],
    },
    ...workerDeploymentOptions(options.deploymentVersion),
    shutdownGraceTime: '10 seconds',
    ...options.tuning,
  });
}

/** A worker on the configured namespace and task queue. */
export function createConfiguredWorker(
  config: SwarmflowConfig,
  dependencies: Pick<
    SwarmflowWorkerOptions,
    | 'connection'
    | 'db'
    | 'databaseHealth'
    | 'tier3'
    | 'dataConverter'
    | 'deploymentVersion'
    | 'workflowBundle'
  >,
): Promise<Worker> {
  return createSwarmflowWorker({
    ...dependencies,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
  });
}
