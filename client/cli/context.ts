import type { Kysely } from 'kysely';
import { openDatabase } from '../../activities/store/database.ts';
import { loadConfig } from '../../schema/config.ts';
import type { Database } from '../../schema/db/tables.ts';
import { ValidationError } from '../../schema/validation.ts';
import type { SwarmflowApi } from '../remote/swarmflow-api.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../remote/swarmflow-client.ts';
import { SwarmflowClient } from '../sdk.ts';
import { type RemoteOptions, type RemoteTarget, remoteTargetOf } from './remote-target.ts';

let remoteOptions: RemoteOptions = {};

/** Keeps the global `--url` and `--api-key` (or SWARMFLOW_URL, SWARMFLOW_API_KEY) for the commands that use them. */
export function setRemoteOptions(options: RemoteOptions): void {
  remoteOptions = options;
}

/**
 * The API server the commands drive, when a URL and a key were given; undefined for direct mode.
 * @throws ValidationError when only one of the two was given, naming the missing one.
 */
export function remoteTarget(): RemoteTarget | undefined {
  return remoteTargetOf(remoteOptions);
}

/**
 * Runs `work` with a client and always closes it: the remote SDK on the API server when a URL
 * and a key were given, else the direct SDK connected from the environment.
 * @throws ValidationError when only one of the URL and the key was given.
 */
export async function withClient<T>(work: (client: SwarmflowApi) => Promise<T>): Promise<T> {
  const target = remoteTarget();
  const client: SwarmflowApi = target
    ? new RemoteSwarmflowClient(target)
    : await SwarmflowClient.connect({ config: loadConfig() });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** Connects the direct SDK from the environment (Temporal and PostgreSQL), runs `work`, and always closes it. */
export async function withDirectClient<T>(work: (client: SwarmflowClient) => Promise<T>): Promise<T> {
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

/**
 * Refuses an option that works on this machine's own stack only while remote mode is on.
 * @throws ValidationError naming the option and the command when a URL (or key) was given.
 */
export function refuseRemote(option: string, command: string): void {
  if (remoteOptions.url === undefined && remoteOptions.apiKey === undefined) return;
  throw new ValidationError(`${command} options`, [
    `${option}: starts a throwaway stack on this machine; leave out --url and --api-key (and SWARMFLOW_URL, SWARMFLOW_API_KEY), or ${option}`,
  ]);
}
