import proto from '@temporalio/proto';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { processMetrics } from '../activities/metrics/process-metrics.ts';
import type { DatabaseHealth } from '../activities/store/database-health.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';
import { processMetricsText } from './process-metrics-text.ts';
import { checkReadiness } from './readiness.ts';

const { TaskQueueType } = proto.temporal.api.enums.v1;
const probeTimeoutMs = 2_000;

export interface WorkerOperationsOptions {
  port: number;
  host: string;
  connection: NativeConnection;
  worker: Worker;
  databaseHealth: DatabaseHealth;
}

/**
 * Serves a worker's `/metrics`, `/healthz` and `/readyz`. Ready: Temporal answers, the database
 * answers, and Temporal sees this worker (by its identity) polling its task queue for both
 * workflow and activity tasks.
 */
export function startWorkerOperations(options: WorkerOperationsOptions): Promise<MetricsServer> {
  const { connection, worker, databaseHealth } = options;
  const { namespace, taskQueue, identity } = worker.options;
  const withDeadline = <T>(call: () => Promise<T>) =>
    connection.withDeadline(Date.now() + probeTimeoutMs, call);
  const polled = async (taskQueueType: number) => {
    const { pollers } = await withDeadline(() =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
      }),
    );
    return pollers.some((poller) => poller.identity === identity);
  };
  return startMetricsServer({
    port: options.port,
    host: options.host,
    metrics: () => processMetricsText(processMetrics()),
    readiness: () =>
      checkReadiness(
        {
          temporal: async () => {
            await withDeadline(() => connection.workflowService.getSystemInfo({}));
            return true;
          },
          database: async () =>
            (await databaseHealth.check()) || `database ${databaseHealth.address} does not answer`,
          taskQueue: async () => {
            const [workflows, activities] = await Promise.all([
              polled(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
              polled(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
            ]);
            if (workflows && activities) return true;
            const missing = [workflows ? [] : 'workflow', activities ? [] : 'activity'].flat().join(' and ');
            return `task queue ${taskQueue} is not polled by this worker (${identity}) for ${missing} tasks`;
          },
        },
        probeTimeoutMs,
      ),
  });
}
