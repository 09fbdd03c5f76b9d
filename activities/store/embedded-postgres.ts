import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** PGlite's data folder; created (with initdb) when missing. Its parent must exist. */
  dataDir: string;
  /** A free one when omitted. */
  port?: number;
  host?: string;
}

export interface EmbeddedPostgres {
  port: number;
  /** A URL for `pg`, see embeddedPostgresUrl. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Statements from all connections run one at a time in the single PGlite session; the socket
 * server keeps an open transaction's statements together, so a pg Pool can use several.
 */
const maxConnections = 100;

/** Serves a PGlite data folder over the PostgreSQL wire protocol until `stop()`. */
export async function serveEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? '127.0.0.1';
  // pgvector for the knowledge base (migration 0012 runs `create extension vector`).
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, host, port: options.port ?? 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await pglite.close();
    throw error;
  }
  const port = listeningPort(server);
  return {
    port,
    url: embeddedPostgresUrl(host, port),
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

/** The port the server listens on, which the OS picked when asked for port 0. */
function listeningPort(server: PGLiteSocketServer): number {
  const address = server.getServerConn();
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** PGlite has one user and one database, both `postgres`, and no password. */
export function embeddedPostgresUrl(host: string, port: number): string {
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return `postgres://postgres@${urlHost}:${port}/postgres`;
}
