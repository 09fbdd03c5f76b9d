import proto from '@temporalio/proto';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { processMetrics } from '../activities/metrics/process-metrics.ts';
import type { DatabaseHealth } from '../activities/store/database-health.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';
import { processMetricsText } from './process-metrics-text.ts';
import { checkReadiness } from './readiness.ts';

const { TaskQueueType } = proto.temporal.api.enums.v1;
const probeTimeoutMs = 2_000;

/** What a starting worker process has made so far: its connection, then its worker. */
export interface WorkerInProcess {
  connection?: NativeConnection;
  worker?: Worker;
}

export interface WorkerOperationsOptions {
  port: number;
  host: string;
  /** Filled in as the process starts; read at every probe. */
  started: WorkerInProcess;
  databaseHealth: DatabaseHealth;
}

/**
 * Serves a worker's `/metrics`, `/healthz` and `/readyz`. Ready: Temporal answers, the database
 * answers, and Temporal sees this worker (by its identity) polling its task queue for both
 * workflow and activity tasks.
 */
export function startWorkerOperations(options: WorkerOperationsOptions): Promise<MetricsServer> {
  const { started, databaseHealth } = options;
  const withDeadline = <T>(connection: NativeConnection, call: () => Promise<T>) =>
    connection.withDeadline(Date.now() + probeTimeoutMs, call);
  return startMetricsServer({
    port: options.port,
    host: options.host,
    metrics: () => processMetricsText(processMetrics()),
    readiness: () =>
      checkReadiness(
        {
          temporal: async () => {
            const { connection } = started;
            if (!connection) return 'connecting';
            await withDeadline(connection, () => connection.workflowService.getSystemInfo({}));
            return true;
          },
          database: async () =>
            (await databaseHealth.check()) || `database ${databaseHealth.address} does not answer`,
          taskQueue: async () => {
            const { connection, worker } = started;
            if (!connection || !worker) return 'worker starting';
            return pollingAnswer(worker, (taskQueueType) =>
              withDeadline(connection, () =>
                connection.workflowService.describeTaskQueue({
                  namespace: worker.options.namespace,
                  taskQueue: { name: worker.options.taskQueue },
                  taskQueueType,
                }),
              ),
            );
          },
        },
        probeTimeoutMs,
      ),
  });
}

/** True when Temporal sees `worker` (by its identity) polling for workflow and activity tasks, else why not. */
async function pollingAnswer(
  worker: Worker,
  describe: (taskQueueType: number) => Promise<{ pollers: { identity?: string | null }[] }>,
): Promise<true | string> {
  const { taskQueue, identity } = worker.options;
  const polled = async (taskQueueType: number) =>
    (await describe(taskQueueType)).pollers.some((poller) => poller.identity === identity);
  const [workflows, activities] = await Promise.all([
    polled(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
    polled(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  if (workflows && activities) return true;
  const missing = [workflows ? [] : 'workflow', activities ? [] : 'activity'].flat().join(' and ');
  return `task queue ${taskQueue} is not polled by this worker (${identity}) for ${missing} tasks`;
}
