import type { Command } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { runWorker } from '../../../workers/run-worker.ts';
import { onDevServer, startDevServer } from '../../server/dev-server.ts';

export function devCommand(program: Command): void {
  program
    .command('dev')
    .description('dev server with Web UI and a worker in the foreground; Ctrl-C stops both')
    .option('--port <port>', 'frontend port', Number, 7233)
    .option('--ui-port <port>', 'Web UI port', Number, 8233)
    .action(async (options: { port: number; uiPort: number }) => {
      const config = loadConfig();
      const server = await startDevServer({
        home: config.home,
        port: options.port,
        ui: true,
        uiPort: options.uiPort,
      });
      try {
        await runWorker(onDevServer(config, server), () =>
          process.stderr.write(
            `dev server ${server.address}, Web UI ${server.uiUrl}; worker running. Ctrl-C stops both.\n`,
          ),
        );
      } finally {
        await server.stop();
      }
    });
}
