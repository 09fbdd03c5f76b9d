import type { Command } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { runWorker } from '../../../workers/run-worker.ts';
import { startTracing } from '../../telemetry/tracing.ts';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker in the foreground (Ctrl-C stops it gracefully)')
    .action(async () => {
      const config = loadConfig();
      const tracing = startTracing('swarmflow-worker');
      await runWorker(config, () =>
        process.stderr.write(`worker polling ${config.taskQueue} on ${config.temporalAddress}\n`),
      ).finally(() => tracing?.shutdown());
    });
}
