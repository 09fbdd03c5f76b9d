import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ensureTemporalCli } from '../client/server/temporal-cli.ts';

/** The pragmas the bench's dev server runs SQLite with (write-ahead log, as Temporal's SDK CI runs it). */
export const SQLITE_PRAGMAS = ['journal_mode=wal'];

/**
 * Dynamic configuration of the bench's dev server. The matching service caches task queue
 * statistics for five seconds by default; the held-executions case polls the backlog to tell
 * when every execution is waiting, so a short cache keeps that measurement from lagging by 5 s.
 */
export const DYNAMIC_CONFIG = ['matching.TaskQueueInfoByBuildIdTTL="250ms"'];

/**
 * `startDevServer` has no option for SQLite pragmas or dynamic configuration, so the bench puts a
 * `temporal` shim first on this process's PATH: it adds them to `server start-dev` and passes every
 * other command through. Returns the real CLI's path.
 */
export async function installDevServerShim(dir: string): Promise<string> {
  const temporal = await ensureTemporalCli();
  const flags = [
    ...SQLITE_PRAGMAS.map((pragma) => `--sqlite-pragma ${pragma}`),
    ...DYNAMIC_CONFIG.map((value) => `--dynamic-config-value '${value}'`),
  ].join(' ');
  const script = [
    '#!/bin/sh',
    `if [ "$1" = server ] && [ "$2" = start-dev ]; then exec '${temporal}' "$@" ${flags}; fi`,
    `exec '${temporal}' "$@"`,
    '',
  ].join('\n');
  await mkdir(dir, { recursive: true });
  const shim = join(dir, 'temporal');
  await writeFile(shim, script);
  await chmod(shim, 0o755);
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
  return temporal;
}
