import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ensureTemporalCli } from '../client/server/temporal-cli.ts';

/** The pragmas the bench's dev server runs SQLite with (write-ahead log, as Temporal's SDK CI runs it). */
export const SQLITE_PRAGMAS = ['journal_mode=wal'];

/**
 * `startDevServer` has no option for SQLite pragmas, so the bench puts a `temporal` shim first on
 * this process's PATH: it adds `--sqlite-pragma` to `server start-dev` and passes every other
 * command through. Returns the real CLI's path.
 */
export async function installWalShim(dir: string): Promise<string> {
  const temporal = await ensureTemporalCli();
  const pragmas = SQLITE_PRAGMAS.map((pragma) => `--sqlite-pragma ${pragma}`).join(' ');
  const script = [
    '#!/bin/sh',
    `if [ "$1" = server ] && [ "$2" = start-dev ]; then exec '${temporal}' "$@" ${pragmas}; fi`,
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
