/**
 * Serves a home's embedded database in the foreground until SIGTERM or SIGINT, recording itself
 * in `<home>/pglite.json` so that other processes connect to it instead of opening the data folder.
 *
 *   node --import tsx activities/store/embedded-postgres-main.ts [--home <dir>] [--port <n>]
 *
 * `--home` defaults to SWARMFLOW_HOME (or ./.swarmflow). Once it serves, it prints one JSON line
 * `{"pid":…,"port":…,"url":…}` on stdout. It exits with status 1 if another process serves the home.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../schema/config.ts';
import { serveEmbeddedHome } from './embedded-home.ts';
import { EmbeddedServerRunningError } from './errors.ts';

// The socket bridge (@electric-sql/pglite-socket) cleans up after a client that vanished (a killed
// worker, a reset connection) in promises it does not await: should one fail, the server must
// keep serving its other clients rather than crash. Its stderr may be closed once it is ready.
process.stderr.on('error', () => {});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`embedded database server: a client connection failed: ${String(reason)}\n`);
});

const { values } = parseArgs({ options: { home: { type: 'string' }, port: { type: 'string' } } });
const home = values.home ?? loadConfig().home;
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
  throw new Error(`--port must be a TCP port number, not "${values.port}"`);
}

const server = await serveEmbeddedHome(home, { port }).catch((error: unknown) => {
  if (!(error instanceof EmbeddedServerRunningError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
process.stdout.write(`${JSON.stringify({ pid: process.pid, port: server.port, url: server.url })}\n`);
await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
await server.stop();
