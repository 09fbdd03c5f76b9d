import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Makes the pgvector extension (`vector`) available to a PostgreSQL server, as migration
 * 0012_knowledge needs it. In order:
 * 1. the server already offers it (`pg_available_extensions`): done;
 * 2. the server runs on this machine and apt-get works: Debian's `postgresql-<major>-pgvector`;
 * 3. else, when that package does not exist (Debian bookworm's own archive has none): build the
 *    pgvector source kept in vendor/pgvector (its LICENSE beside it) against
 *    `postgresql-server-dev-<major>`, with make and a C compiler, and `make install` it;
 * 4. else fail, naming the package to install.
 * A server on another host cannot be changed from here: the error says what its admin must install.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const vendoredPgvectorDir = join(projectRoot, 'vendor', 'pgvector');

export interface PgvectorStatus {
  /** Whether `create extension vector` can succeed on the server. */
  available: boolean;
  /** The server's major version, e.g. 15. */
  major: number;
  host: string;
}

export interface EnsurePgvectorOptions {
  /** An admin URL of the server. */
  url: string;
  log?: (line: string) => void;
  /** Only detect; never install (for tests of the detection path). */
  detectOnly?: boolean;
}

/** The Debian package that brings pgvector for a PostgreSQL major version. */
export const pgvectorPackage = (major: number) => `postgresql-${major}-pgvector`;

/** Whether the server at `url` offers the `vector` extension, and its major version. */
export async function detectPgvector(url: string): Promise<PgvectorStatus> {
  const client = new pg.Client({ connectionString: url });
  const host = new URL(url).hostname;
  await client.connect().catch((cause: unknown) => {
    throw new Error(`cannot reach PostgreSQL at ${host} to check for pgvector: ${String(cause)}`, { cause });
  });
  try {
    const version = await client.query<{ server_version_num: string }>('show server_version_num');
    const major = Math.floor(Number(version.rows[0]?.server_version_num) / 10_000);
    const found = await client.query("select 1 from pg_available_extensions where name = 'vector'");
    return { available: (found.rowCount ?? 0) > 0, major, host };
  } finally {
    await client.end();
  }
}

/** The error for a server without pgvector that this machine cannot fix. */
export function missingPgvectorMessage(status: Pick<PgvectorStatus, 'major' | 'host'>, why?: string): string {
  return [
    `PostgreSQL ${status.major} at ${status.host} has no pgvector extension ("vector"), which the knowledge base needs.`,
    ...(why ? [`Installing it here failed: ${why}`] : []),
    `Install Debian's package ${pgvectorPackage(status.major)} on the database server (apt-get install ${pgvectorPackage(status.major)}),`,
    `or build vendor/pgvector with postgresql-server-dev-${status.major} (make && make install),`,
    'or run `node --import tsx scripts/ensure-pgvector.ts` on the server, which tries both.',
  ].join('\n');
}

/**
 * Makes sure the server at `url` offers pgvector, installing it when the server is on this machine.
 * @throws Error naming `postgresql-<major>-pgvector` when it is missing and cannot be installed.
 */
export async function ensurePgvector(options: EnsurePgvectorOptions): Promise<PgvectorStatus> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const status = await detectPgvector(options.url);
  if (status.available || options.detectOnly) return status;
  if (!isLoopback(status.host))
    throw new Error(missingPgvectorMessage(status, 'the server is not on this machine'));
  const pgConfig = `/usr/lib/postgresql/${status.major}/bin/pg_config`;
  const problems: string[] = [];
  if (await commandExists('apt-get')) {
    log(`pgvector is missing: installing ${pgvectorPackage(status.major)} with apt-get...`);
    const installed = await aptInstall([pgvectorPackage(status.major)]);
    if (installed.ok) return recheck(options.url, status);
    problems.push(`apt-get install ${pgvectorPackage(status.major)}: ${installed.message}`);
    log(`${pgvectorPackage(status.major)} is not available; building vendor/pgvector instead...`);
    const dev = await aptInstall([`postgresql-server-dev-${status.major}`, 'make', 'gcc']);
    if (!dev.ok) problems.push(`apt-get install postgresql-server-dev-${status.major}: ${dev.message}`);
  }
  if (await executable(pgConfig)) {
    try {
      await buildVendoredPgvector(pgConfig, log);
      return recheck(options.url, status);
    } catch (error) {
      problems.push(`building vendor/pgvector: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    problems.push(`${pgConfig} is missing (postgresql-server-dev-${status.major} is not installed)`);
  }
  throw new Error(missingPgvectorMessage(status, problems.join('; ')));
}

async function recheck(url: string, before: PgvectorStatus): Promise<PgvectorStatus> {
  const after = await detectPgvector(url);
  if (!after.available) {
    throw new Error(
      missingPgvectorMessage(before, 'it was installed, but the server still does not offer it'),
    );
  }
  return after;
}

/** Builds a copy of vendor/pgvector (the source stays clean) and installs it into the server's folders. */
async function buildVendoredPgvector(pgConfig: string, log: (line: string) => void): Promise<void> {
  const buildDir = await mkdtemp(join(tmpdir(), 'swarmflow-pgvector-'));
  try {
    await cp(vendoredPgvectorDir, buildDir, { recursive: true });
    // OPTFLAGS="" builds for any x86-64, not only this CPU (pgvector's advice for portable builds).
    const args = [`PG_CONFIG=${pgConfig}`, 'OPTFLAGS='];
    log('Building pgvector (about a minute)...');
    await run('make', ['-C', buildDir, ...args]);
    await run('make', ['-C', buildDir, 'install', ...args]);
    log('pgvector installed.');
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

async function aptInstall(packages: string[]): Promise<{ ok: true } | { ok: false; message: string }> {
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', ...packages]);
  try {
    await install();
    return { ok: true };
  } catch {
    // The package lists may be stale or absent (a fresh machine): refresh once and try again.
    try {
      await run('apt-get', ['update']);
      await install();
      return { ok: true };
    } catch (error) {
      return { ok: false, message: lastLine(error instanceof Error ? error.message : String(error)) };
    }
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        else resolve();
      },
    );
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? text;
}

async function commandExists(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && (await executable(join(dir, name)))) return true;
  }
  return false;
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]' || host === '';
}
