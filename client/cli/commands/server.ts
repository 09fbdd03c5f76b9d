import type { Command } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { devServerStatus, startDevServer, stopDevServer } from '../../server/dev-server.ts';
import { startEmbeddedDatabaseServer, stopEmbeddedDatabaseServer } from '../../server/embedded-database.ts';

export function serverCommands(program: Command): void {
  const server = program
    .command('server')
    .description('a local Temporal dev server (and the embedded database)');

  server
    .command('start')
    .description('start a dev server in the background; runs survive a restart')
    .option('--ui', 'serve the Temporal Web UI too')
    .option('--port <port>', 'frontend port (default: the port of TEMPORAL_ADDRESS, or 7233)', Number)
    .option('--ui-port <port>', 'Web UI port', Number, 8233)
    .action(async (options: { ui?: boolean; port?: number; uiPort: number }) => {
      const config = loadConfig();
      const status = await devServerStatus(config.home);
      if (status.running) {
        process.stdout.write(`already running at ${status.address} (pid ${status.pid})\n`);
      } else {
        const port = options.port ?? Number(config.temporalAddress.split(':').pop());
        const handle = await startDevServer({
          home: config.home,
          port,
          detached: true,
          ...(options.ui ? { ui: true, uiPort: options.uiPort } : {}),
        });
        process.stdout.write(
          `Temporal dev server at ${handle.address}${handle.uiUrl ? `, Web UI ${handle.uiUrl}` : ''}\n`,
        );
      }
      if (!config.databaseUrl) {
        const database = await startEmbeddedDatabaseServer(config.home);
        process.stdout.write(`embedded PostgreSQL (PGlite) at ${database.url}\n`);
      }
    });

  server
    .command('stop')
    .description('stop the background dev server and embedded database')
    .action(async () => {
      const config = loadConfig();
      const result = await stopDevServer(config.home);
      process.stdout.write(
        result.stopped ? `stopped dev server (pid ${result.pid})\n` : 'no dev server was running\n',
      );
      if (await stopEmbeddedDatabaseServer(config.home))
        process.stdout.write('stopped embedded PostgreSQL\n');
    });

  server
    .command('status')
    .description('is the dev server running, and where')
    .action(async () => {
      const status = await devServerStatus(loadConfig().home);
      process.stdout.write(
        status.running
          ? `running at ${status.address} (pid ${status.pid})${status.uiUrl ? `, Web UI ${status.uiUrl}` : ''}\n`
          : 'not running\n',
      );
      if (!status.running) process.exitCode = 1;
    });
}
