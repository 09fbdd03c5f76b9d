import type { Command } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { loadWorkerVersioning } from '../../../schema/worker-versioning.ts';
import { runWorker } from '../../../workers/run-worker.ts';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker in the foreground (Ctrl-C stops it gracefully)')
    .option(
      '--deployment-name <name>',
      'Worker Versioning: poll as a version of this Worker Deployment (env SWARMFLOW_DEPLOYMENT_NAME; see docs/worker-versioning.md)',
    )
    .option(
      '--build-id <id>',
      "the version's build id (env SWARMFLOW_BUILD_ID; default: package version + hash of the workflow code)",
    )
    .action(async (options: { deploymentName?: string; buildId?: string }) => {
      const config = loadConfig();
      const versioning = loadWorkerVersioning(options);
      await runWorker(
        config,
        () => process.stderr.write(`worker polling ${config.taskQueue} on ${config.temporalAddress}\n`),
        undefined,
        versioning,
      );
    });
}
