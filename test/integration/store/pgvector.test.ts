import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectPgvector,
  ensurePgvector,
  missingPgvectorMessage,
  pgvectorPackage,
} from '../../../client/server/pgvector-install.ts';
import { up } from '../../../schema/db/migrations/0012_knowledge.ts';

const adminUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

describe('ensure-pgvector', () => {
  it('detects pgvector on the test server (npm test installed it) and its major version', async () => {
    const status = await detectPgvector(adminUrl);
    expect(status).toMatchObject({ available: true, host: new URL(adminUrl).hostname });
    expect(status.major).toBeGreaterThanOrEqual(13);
    // Already there: nothing is installed, whatever the options.
    expect(await ensurePgvector({ url: adminUrl })).toEqual(status);
  });

  it('names the Debian package, the source build and the script when pgvector is missing', () => {
    expect(pgvectorPackage(15)).toBe('postgresql-15-pgvector');
    const message = missingPgvectorMessage(
      { major: 16, host: 'db.example' },
      'the server is not on this machine',
    );
    expect(message).toContain('PostgreSQL 16 at db.example has no pgvector');
    expect(message).toContain('apt-get install postgresql-16-pgvector');
    expect(message).toContain('postgresql-server-dev-16');
    expect(message).toContain('scripts/ensure-pgvector.ts');
    expect(message).toContain('not on this machine');
  });

  it('fails clearly when it cannot reach the server', async () => {
    await expect(detectPgvector('postgres://postgres@127.0.0.1:9/postgres')).rejects.toThrow(
      /cannot reach PostgreSQL at 127.0.0.1 to check for pgvector/,
    );
  });
});

describe('migration 0012 on a server without pgvector', () => {
  // PGlite without its vector extension loaded: `create extension vector` fails as on a server without the package.
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    pglite = await PGlite.create();
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
    await server.start();
    const address = server.getServerConn();
    const port = Number(address.slice(address.lastIndexOf(':') + 1));
    db = new Kysely({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 1 }),
      }),
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
    await pglite?.close();
  });

  it('fails naming the package to install and the script that installs it', async () => {
    const error = await up(db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/the knowledge base needs the pgvector extension/);
    expect((error as Error).message).toMatch(/postgresql-\d+-pgvector/);
    expect((error as Error).message).toContain('scripts/ensure-pgvector.ts');
  });
});
