import { ValidationError } from '../../schema/validation.ts';

/** The global options of remote mode, as commander parsed them (from the flags or the environment). */
export interface RemoteOptions {
  url?: string | undefined;
  apiKey?: string | undefined;
}

/** Where remote mode sends the commands, and with which key. */
export interface RemoteTarget {
  url: string;
  apiKey: string;
}

/**
 * The API server and key of remote mode: both given, or neither (direct mode). The key is never
 * part of a message.
 * @throws ValidationError when one is given without the other, naming the fix.
 */
export function remoteTargetOf({ url, apiKey }: RemoteOptions): RemoteTarget | undefined {
  const givenUrl = url?.trim() || undefined;
  const givenKey = apiKey?.trim() || undefined;
  if (givenUrl === undefined && givenKey === undefined) return undefined;
  if (givenUrl === undefined) {
    throw new ValidationError('remote options', [
      '--api-key (or SWARMFLOW_API_KEY) is given without --url: add --url <API server URL> (or set SWARMFLOW_URL), or unset the key to work on Temporal and PostgreSQL directly',
    ]);
  }
  if (givenKey === undefined) {
    throw new ValidationError('remote options', [
      `--url ${givenUrl} needs an API key: add --api-key <key> or set SWARMFLOW_API_KEY (create one with \`swarmflow keys create\`)`,
    ]);
  }
  return { url: givenUrl, apiKey: givenKey };
}
