import { randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

/** `<home>/pglite.json`: which process serves the home's embedded database, and on which port. */
export const EmbeddedServerFile = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65_535),
});
export type EmbeddedServerFile = z.infer<typeof EmbeddedServerFile>;

/**
 * - `absent`: no file.
 * - `stale`: the file's process is gone, or the file is unreadable.
 * - `starting`: the process lives but its port does not answer yet.
 * - `serving`: the process lives and its port answers.
 */
export type EmbeddedServerState =
  | { status: 'absent' }
  | { status: 'stale'; file?: EmbeddedServerFile }
  | { status: 'starting' | 'serving'; file: EmbeddedServerFile };

export const embeddedHost = '127.0.0.1';
const portAnswerTimeoutMs = 1_000;

export const embeddedServerFilePath = (home: string) => join(home, 'pglite.json');

/** Reads `<home>/pglite.json` and checks whether the server it names is alive. */
export async function inspectEmbeddedServer(home: string): Promise<EmbeddedServerState> {
  const text = await readFile(embeddedServerFilePath(home), 'utf8').catch(absentAsUndefined);
  if (text === undefined) return { status: 'absent' };
  const parsed = EmbeddedServerFile.safeParse(parseJson(text));
  if (!parsed.success) return { status: 'stale' };
  const file = parsed.data;
  if (!isProcessAlive(file.pid)) return { status: 'stale', file };
  return { status: (await isPortAnswering(file.port)) ? 'serving' : 'starting', file };
}

/**
 * Creates `<home>/pglite.json` with its full content in one step (a hard link of a finished
 * temporary file), so readers never see a half-written file. False when the file already exists.
 */
export async function claimEmbeddedServerFile(home: string, file: EmbeddedServerFile): Promise<boolean> {
  const draft = join(home, `.pglite.${randomUUID()}.json`);
  await writeFile(draft, JSON.stringify(file));
  try {
    await link(draft, embeddedServerFilePath(home));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes `<home>/pglite.json` if it still names `expected` or, without `expected`, if it is
 * still unreadable: another process may have replaced it meanwhile.
 */
export async function removeEmbeddedServerFile(home: string, expected?: EmbeddedServerFile): Promise<void> {
  const path = embeddedServerFilePath(home);
  const text = await readFile(path, 'utf8').catch(absentAsUndefined);
  if (text === undefined) return;
  const current = EmbeddedServerFile.safeParse(parseJson(text));
  const unchanged = expected
    ? current.success && current.data.pid === expected.pid && current.data.port === expected.port
    : !current.success;
  if (unchanged) await rm(path, { force: true });
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPortAnswering(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: embeddedHost, port, timeout: portAnswerTimeoutMs });
    const answer = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => answer(true));
    socket.once('timeout', () => answer(false));
    socket.once('error', () => answer(false));
  });
}

function absentAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
