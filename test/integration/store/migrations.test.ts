import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../activities/store/database.ts';
import { MigrationError } from '../../../activities/store/errors.ts';
import { migrateToLatest } from '../../../activities/store/migrate.ts';
import { migrations } from '../../../schema/db/migrations/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

describe('migrations on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  const migrateToNothing = async () => {
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo(NO_MIGRATIONS);
    expect(error).toBeUndefined();
  };

  it('creates the schema with the default tenant, and running them again changes nothing', async () => {
    await migrateToLatest(database.db);
    await migrateToLatest(database.db);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db);
    expect(applied.rows.map((row) => row.name)).toEqual([
      '0001_initial',
      '0002_user_tasks',
      '0003_usage',
      '0004_step_usage',
      '0005_swarms',
      '0006_step_structured_output',
      '0007_identities',
      '0008_audit',
      '0009_row_level_security',
      '0010_user_task_completed_by',
      '0011_evaluation',
      '0012_knowledge',
      '0013_step_input_hash',
      '0014_version_lifecycle',
      '0015_canary',
      '0016_proposal_knowledge',
      '0017_open_incidents_index',
    ]);
    expect(await database.db.selectFrom('tenants').select(['id', 'name']).execute()).toEqual([
      { id: 'default', name: 'Default tenant' },
    ]);
  });

  it('lets two processes open an empty database at once', async () => {
    await migrateToNothing();
    const handles = await Promise.all([connectDatabase(database.url), connectDatabase(database.url)]);
    try {
      const tables = await database.db.introspection.getTables();
      expect(tables.map((table) => table.name).sort()).toEqual([
        'agents',
        'api_keys',
        'audit_heads',
        'audit_log',
        'dataset_cases',
        'dataset_versions',
        'datasets',
        'eval_cases',
        'eval_runs',
        'knowledge',
        'proposals',
        'routine_versions',
        'routines',
        'run_scores',
        'run_steps',
        'runs',
        'swarm_subtasks',
        'swarm_transcript',
        'swarms',
        'tenants',
        'user_tasks',
      ]);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  it('names the migration that failed', async () => {
    await migrateToNothing();
    await sql`create table runs (id int)`.execute(database.db);
    const error = await migrateToLatest(database.db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ failedMigrations: ['0001_initial'] });
    expect((error as Error).message).toMatch(/^migration 0001_initial failed: .*"runs" already exists/);
    await sql`drop table runs`.execute(database.db);
    await migrateToLatest(database.db);
  });
});
