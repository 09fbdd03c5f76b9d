import type { Command } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { runWorker } from '../../../workers/run-worker.ts';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker in the foreground (Ctrl-C stops it gracefully)')
    .action(async () => {
      // The worker logs "worker polling ..." itself, as a structured line on stdout.
      await runWorker(loadConfig());
    });
}
