import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { loadWorkerVersioning } from '../../../schema/worker-versioning.ts';
import { runWorker } from '../../../workers/run-worker.ts';
import { startTracing } from '../../telemetry/tracing.ts';

interface WorkerCommandOptions {
  metricsPort?: number;
  metricsHost: string;
  deploymentName?: string;
  buildId?: string;
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) throw new InvalidArgumentError('give a port, 0-65535');
  return value;
}

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
    .option(
      '--metrics-port <port>',
      'serve GET /metrics (Prometheus, with Temporal SDK metrics), /healthz and /readyz on this port (0: any free port)',
      port,
    )
    .option('--metrics-host <host>', 'address the metrics endpoint listens on', '0.0.0.0')
    .action(async (options: WorkerCommandOptions) => {
      const config = loadConfig();
      const versioning = loadWorkerVersioning(options);
      const tracing = startTracing('swarmflow-worker');
      // The worker logs "worker polling ..." itself, as a structured line on stdout.
      await runWorker(config, undefined, undefined, {
        metricsHost: options.metricsHost,
        ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
        onMetricsUrl: (url) => process.stderr.write(`worker metrics at ${url}/metrics\n`),
        versioning,
      }).finally(() => tracing?.shutdown());
    });
}
