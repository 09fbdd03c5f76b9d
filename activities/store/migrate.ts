import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../schema/db/migrations/index.ts';
import type { Database } from '../../schema/db/tables.ts';
import { MigrationError } from './errors.ts';

/**
 * Brings the schema up to the latest migration. Safe to call from several processes at once:
 * Kysely's Migrator holds a PostgreSQL advisory lock while it migrates.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results.filter((result) => result.status === 'Error').map((result) => result.migrationName);
  throw new MigrationError(failed, { cause: error });
}
