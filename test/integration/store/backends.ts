import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../activities/store/database.ts';
import { loadConfig } from '../../../schema/config.ts';
import type { Database } from '../../../schema/db/tables.ts';
import { createTestDatabase } from '../../support/database.ts';

export interface StoreBackend {
  name: string;
  open(): Promise<{ db: Kysely<Database>; drop(): Promise<void> }>;
}

/** The two databases the store must work on: a PostgreSQL server, and embedded PGlite through its socket server. */
export const storeBackends: StoreBackend[] = [
  { name: 'PostgreSQL', open: createTestDatabase },
  { name: 'embedded PGlite', open: openEmbeddedTestDatabase },
];

export const newHome = () => mkdtemp(join(tmpdir(), 'swarmflow-store-'));

export const embeddedConfig = (home: string) => ({ ...loadConfig({}), home, databaseUrl: undefined });

async function openEmbeddedTestDatabase(): Promise<{ db: Kysely<Database>; drop(): Promise<void> }> {
  const home = await newHome();
  const handle = await openDatabase(embeddedConfig(home));
  return {
    db: handle.db,
    async drop() {
      await handle.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
