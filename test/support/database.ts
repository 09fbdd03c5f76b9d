import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { connectDatabase } from '../../activities/store/database.ts';
import type { Database } from '../../schema/db/tables.ts';

export interface TestDatabase {
  url: string;
  db: Kysely<Database>;
  /** Closes `db` and drops the database. */
  drop(): Promise<void>;
}

const adminUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, uniquely named, migrated database on the test server (TEST_POSTGRES_URL). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `swarmflow_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runAdminStatement(`create database ${name}`);
  const url = databaseUrl(name);
  const handle = await connectDatabase(url).catch(async (error: unknown) => {
    await runAdminStatement(`drop database if exists ${name} with (force)`);
    throw error;
  });
  return {
    url,
    db: handle.db,
    async drop() {
      await handle.close();
      await runAdminStatement(`drop database if exists ${name} with (force)`);
    },
  };
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function runAdminStatement(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch((cause: unknown) => {
    const { host } = new URL(adminUrl);
    throw new Error(
      `cannot reach the test PostgreSQL server at ${host}: set TEST_POSTGRES_URL to an admin URL`,
      { cause },
    );
  });
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
