import { DefaultLogger, type LogEntry, NativeConnection, type Worker } from '@temporalio/worker';
import { connectDatabase } from '../../activities/store/database.ts';
import { installTemporalRuntime } from '../../workers/temporal-runtime.ts';
import { createSwarmflowWorker } from '../../workers/worker.ts';
import { createBaselineWorkers } from '../baseline/worker.ts';
import type { WorkerReport, WorkerSpec } from './spec.ts';

// A bench worker in its own process, so that its memory can be measured apart from the client's.
// The parent passes a WorkerSpec as JSON and stops it with a 'stop' message (or SIGTERM).

// Warnings and errors only; the baseline's activity-only worker rightly has no workflows to poll for.
const expected = 'No workflows registered, not polling for workflow tasks';
const defaultLogger = new DefaultLogger('WARN');
installTemporalRuntime({
  logger: new DefaultLogger('WARN', (entry: LogEntry) => {
    if (entry.message !== expected) defaultLogger.log(entry.level, entry.message, entry.meta);
  }),
});
const spec = JSON.parse(process.argv[2] ?? '{}') as WorkerSpec;
const report = (message: WorkerReport) => process.send?.(message);

try {
  const database = await connectDatabase(spec.databaseUrl);
  const connection = await NativeConnection.connect({ address: spec.address });
  const options = {
    connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    db: database.db,
    tuning: spec.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: spec.maxCachedWorkflows },
  };
  const workers: Worker[] =
    spec.kind === 'swarmflow'
      ? [await createSwarmflowWorker({ ...options, workflowBundle: { codePath: spec.bundlePath } })]
      : await createBaselineWorkers({ ...options, bundlePath: spec.bundlePath });
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('message', (message) => {
    if (message === 'stop') shutdown();
  });
  process.on('disconnect', shutdown);
  const running = Promise.all(workers.map((worker) => worker.run()));
  report({ type: 'ready' });
  await running;
  await connection.close();
  await database.close();
  process.exit(0);
} catch (error) {
  report({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
