import type { Kysely } from 'kysely';
import { openDatabase } from '../../activities/store/database.ts';
import { loadConfig } from '../../schema/config.ts';
import type { Database } from '../../schema/db/tables.ts';
import { SwarmflowClient } from '../sdk.ts';

/** Connects a client from the environment, runs `work`, and always closes the client. */
export async function withClient<T>(work: (client: SwarmflowClient) => Promise<T>): Promise<T> {
  const client = await SwarmflowClient.connect({ config: loadConfig() });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * Opens the configured database directly (operator commands on the server side: tenants, keys),
 * runs `work`, and always closes it.
 */
export async function withDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig());
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}
