import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { runWorker } from '../../../workers/run-worker.ts';

interface WorkerCommandOptions {
  metricsPort?: number;
  metricsHost: string;
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
      '--metrics-port <port>',
      'serve GET /metrics (Prometheus, with Temporal SDK metrics), /healthz and /readyz on this port (0: any free port)',
      port,
    )
    .option('--metrics-host <host>', 'address the metrics endpoint listens on', '0.0.0.0')
    .action(async (options: WorkerCommandOptions) => {
      const config = loadConfig();
      await runWorker(
        config,
        () => process.stderr.write(`worker polling ${config.taskQueue} on ${config.temporalAddress}\n`),
        undefined,
        {
          metricsHost: options.metricsHost,
          ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
          onMetricsUrl: (url) => process.stderr.write(`worker metrics at ${url}/metrics\n`),
        },
      );
    });
}
