import { mkdir } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EmbeddedPostgres, embeddedPostgresUrl, serveEmbeddedPostgres } from './embedded-postgres.ts';
import {
  claimEmbeddedServerFile,
  type EmbeddedServerFile,
  type EmbeddedServerState,
  embeddedHost,
  inspectEmbeddedServer,
  removeEmbeddedServerFile,
} from './embedded-server-file.ts';
import { EmbeddedServerRunningError } from './errors.ts';

/** A connection URL for a home's embedded database, and what to do when done with it. */
export interface EmbeddedDatabaseLease {
  url: string;
  /** The server behind the URL, as `<home>/pglite.json` names it. */
  servedBy: EmbeddedServerFile;
  /** Stops the server if this lease started it; otherwise does nothing. */
  release(): Promise<void>;
}

const startWaitMs = 30_000;
const startPollMs = 100;

export const embeddedDataDir = (home: string) => join(home, 'pgdata');

/**
 * Serves `<home>/pgdata` from this process and records it in `<home>/pglite.json`; `stop()`
 * removes the file. A stale file (its process gone) is replaced, and its port is served again
 * when free, so that processes which used the dead server reconnect to the new one; a live file
 * is an EmbeddedServerRunningError, since a PGlite data folder may be opened by one process only.
 */
export async function serveEmbeddedHome(
  home: string,
  options: { port?: number } = {},
): Promise<EmbeddedPostgres> {
  const state = await inspectEmbeddedServer(home);
  if (state.status === 'serving' || state.status === 'starting') {
    throw new EmbeddedServerRunningError(home, state.file);
  }
  if (state.status === 'stale') await removeEmbeddedServerFile(home, state.file);
  await mkdir(home, { recursive: true });
  const file = { pid: process.pid, port: options.port ?? (await portToServe(state)) };
  await claimOrThrow(home, file);
  try {
    const server = await serveEmbeddedPostgres({
      dataDir: embeddedDataDir(home),
      host: embeddedHost,
      port: file.port,
    });
    return {
      ...server,
      async stop() {
        await server.stop();
        await removeEmbeddedServerFile(home, file);
      },
    };
  } catch (error) {
    await removeEmbeddedServerFile(home, file);
    throw error;
  }
}

/**
 * Shares the home's embedded database: uses the server named by `<home>/pglite.json` when it
 * answers (waiting while one starts), else serves the database from this process.
 */
export async function leaseEmbeddedDatabase(home: string): Promise<EmbeddedDatabaseLease> {
  const deadline = Date.now() + startWaitMs;
  for (;;) {
    const state = await inspectEmbeddedServer(home);
    // A server still silent after the wait is handed over anyway: connecting reports it.
    if (state.status === 'serving' || (state.status === 'starting' && Date.now() >= deadline)) {
      return {
        url: embeddedPostgresUrl(embeddedHost, state.file.port),
        servedBy: state.file,
        release: async () => {},
      };
    }
    if (state.status === 'starting') {
      await sleep(startPollMs);
      continue;
    }
    const served = await serveUnlessClaimed(home);
    if (served) {
      return { url: served.url, servedBy: { pid: process.pid, port: served.port }, release: served.stop };
    }
  }
}

async function claimOrThrow(home: string, file: EmbeddedServerFile): Promise<void> {
  if (await claimEmbeddedServerFile(home, file)) return;
  const winner = await inspectEmbeddedServer(home);
  throw new EmbeddedServerRunningError(home, winner.status === 'absent' ? undefined : winner.file);
}

/** Serves the home, or undefined when another process claimed it first. */
async function serveUnlessClaimed(home: string): Promise<EmbeddedPostgres | undefined> {
  try {
    return await serveEmbeddedHome(home);
  } catch (error) {
    if (error instanceof EmbeddedServerRunningError) return undefined;
    throw error;
  }
}

/** The port a dead server listened on, when it is free again; else one the OS picks. */
async function portToServe(state: EmbeddedServerState): Promise<number> {
  const previous = state.status === 'stale' ? state.file?.port : undefined;
  if (previous !== undefined) {
    const reused = await listenOnce(previous).catch(() => undefined);
    if (reused !== undefined) return reused;
  }
  return listenOnce(0);
}

/** Listens on `port` (0: any free one) and closes again; rejects when it is taken. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, embeddedHost, () => {
      const { port: bound } = probe.address() as AddressInfo;
      probe.close(() => resolve(bound));
    });
  });
}
