import { didYouMean } from './similar-ids.ts';

/** The database named by the configuration cannot be reached or refuses the connection. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    /** `host:port` of the server; the URL itself is never shown, since it may hold a password. */
    readonly address: string,
    hint: string,
    options: { cause: unknown },
  ) {
    super(`cannot connect to PostgreSQL at ${address} (${describeCause(options.cause)}): ${hint}`, options);
  }
}

/** A routine id that the tenant has not registered. */
export class UnknownRoutineError extends Error {
  override readonly name = 'UnknownRoutineError';
  constructor(
    readonly routineId: string,
    /** Registered ids that look like `routineId`, closest first. */
    readonly suggestions: readonly string[],
  ) {
    const didYouMean = suggestions.length > 0 ? `; did you mean ${suggestions.map(quote).join(', ')}?` : '';
    super(`no routine ${quote(routineId)}${didYouMean} (list routines with \`swarmflow routine list\`)`);
  }
}

/** A version number that a registered routine does not have. */
export class UnknownRoutineVersionError extends Error {
  override readonly name = 'UnknownRoutineVersionError';
  constructor(
    readonly routineId: string,
    readonly version: number,
    readonly latestVersion: number,
  ) {
    super(`routine ${quote(routineId)} has no version ${version}; its versions are 1 to ${latestVersion}`);
  }
}

/** A key id that no key has (or, with a tenant given, that the tenant has no key with). */
export class UnknownApiKeyError extends Error {
  override readonly name = 'UnknownApiKeyError';
  constructor(
    readonly keyId: string,
    readonly suggestions: readonly string[],
  ) {
    super(`no API key "${keyId}"${didYouMean(suggestions)} (list keys with \`swarmflow keys list\`)`);
  }
}

/** A role the deployment does not define. */
export class UnknownRoleError extends Error {
  override readonly name = 'UnknownRoleError';
  constructor(
    readonly role: string,
    readonly knownRoles: readonly string[],
  ) {
    super(`unknown role "${role}"; the roles are ${knownRoles.join(', ')}`);
  }
}

/** Another process serves (or is starting to serve) this home's embedded database. */
export class EmbeddedServerRunningError extends Error {
  override readonly name = 'EmbeddedServerRunningError';
  constructor(
    readonly home: string,
    /** What `<home>/pglite.json` says, when it could be read. */
    readonly servedBy: { pid: number; port: number } | undefined,
  ) {
    const by = servedBy ? ` by process ${servedBy.pid} on 127.0.0.1:${servedBy.port}` : ' by another process';
    super(`the embedded database of ${home} is already served${by}`);
  }
}

/** Some migrations failed; the database stays at the last one that succeeded. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly failedMigrations: readonly string[],
    options: { cause: unknown },
  ) {
    const which =
      failedMigrations.length > 0 ? `migration ${failedMigrations.join(', ')} failed` : 'migrations failed';
    super(`${which}: ${describeCause(options.cause)}`, options);
  }
}

const quote = (text: string) => `"${text}"`;

/** A one-line reason; an AggregateError (a host with several addresses) carries it in `code` only. */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  return cause.message || (cause as Error & { code?: string }).code || cause.name;
}
