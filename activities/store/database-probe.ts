import pg from 'pg';
import { serverAddress } from './database.ts';
import { describeCause } from './errors.ts';

export type DatabaseProbe =
  | { address: string; reachable: true }
  | { address: string; reachable: false; reason: string };

/** Connects to `url` once and runs `select 1`: whether the database answers, and if not, why. */
export async function probeDatabase(url: string, timeoutMs = 3_000): Promise<DatabaseProbe> {
  const address = serverAddress(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection lost mid-probe rejects the probe; the event itself must not crash the caller.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return { address, reachable: true };
  } catch (error) {
    return { address, reachable: false, reason: describeCause(error) };
  } finally {
    await client.end().catch(() => {});
  }
}
