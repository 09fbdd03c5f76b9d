import type { Command } from 'commander';
import { probeDatabase } from '../../../activities/store/database-probe.ts';
import { embeddedPostgresUrl } from '../../../activities/store/embedded-postgres.ts';
import { embeddedHost, inspectEmbeddedServer } from '../../../activities/store/embedded-server-file.ts';
import { loadConfig, type SwarmflowConfig } from '../../../schema/config.ts';
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
    .description('is the dev server running, and where; does the database answer')
    .action(async () => {
      const config = loadConfig();
      const status = await devServerStatus(config.home);
      process.stdout.write(
        status.running
          ? `running at ${status.address} (pid ${status.pid})${status.uiUrl ? `, Web UI ${status.uiUrl}` : ''}\n`
          : 'not running\n',
      );
      const database = await databaseStatus(config);
      process.stdout.write(`${database.line}\n`);
      if (!status.running || !database.reachable) process.exitCode = 1;
    });
}

/** One line on the configured database: where it is and whether it answers, or why not. */
async function databaseStatus(config: SwarmflowConfig): Promise<{ reachable: boolean; line: string }> {
  let url = config.databaseUrl;
  let name = 'PostgreSQL';
  if (!url) {
    name = 'embedded PostgreSQL (PGlite)';
    const state = await inspectEmbeddedServer(config.home);
    if (state.status === 'absent' || state.status === 'stale') {
      const gone = state.status === 'stale' ? state.file : undefined;
      const line = gone
        ? `${name}: unreachable, its server (pid ${gone.pid}, port ${gone.port}) is gone; \`swarmflow server start\` serves it again on port ${gone.port}`
        : `${name}: not running (start it with \`swarmflow server start\`)`;
      return { reachable: false, line };
    }
    url = embeddedPostgresUrl(embeddedHost, state.file.port);
  }
  const probe = await probeDatabase(url);
  return probe.reachable
    ? { reachable: true, line: `${name} at ${probe.address}: reachable` }
    : { reachable: false, line: `${name} at ${probe.address}: unreachable (${probe.reason})` };
}
