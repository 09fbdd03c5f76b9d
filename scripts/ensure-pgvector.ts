import { ensurePgvector } from '../client/server/pgvector-install.ts';

/**
 * Makes the test PostgreSQL server (TEST_POSTGRES_URL, else DATABASE_URL, else the local default)
 * offer pgvector, installing Debian's package or building vendor/pgvector when it is on this machine.
 * Exits non-zero with the package to install when it cannot.
 */
const url =
  process.env.TEST_POSTGRES_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
try {
  const status = await ensurePgvector({ url });
  console.log(`pgvector is available on PostgreSQL ${status.major} at ${status.host}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
