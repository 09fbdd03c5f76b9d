import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the bench creates its database; any PostgreSQL admin URL works. */
export const adminUrl =
  process.env.BENCH_POSTGRES_URL ||
  process.env.TEST_POSTGRES_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  /** The server's version string, for the machine description. */
  version: string;
  drop(): Promise<void>;
}

/** A fresh, empty, uniquely named database; `drop()` removes it even while clients are connected. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `swarmflow_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const [row] = await admin(`select version() as version`);
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version: String(row?.version ?? 'unknown'),
    drop: async () => {
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

async function admin(statement: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect().catch((cause: unknown) => {
    throw new Error(`cannot reach PostgreSQL at ${new URL(adminUrl).host}: set BENCH_POSTGRES_URL`, {
      cause,
    });
  });
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}
