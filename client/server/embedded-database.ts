import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { embeddedPostgresUrl } from '../../activities/store/embedded-postgres.ts';
import { embeddedHost, inspectEmbeddedServer } from '../../activities/store/embedded-server-file.ts';
import { moduleFile } from '../../schema/module-file.ts';

const serverMain = moduleFile(import.meta.url, '../../activities/store/embedded-postgres-main');
/** tsx resolved from this package, so the server starts whatever the caller's working directory. */
const tsxLoader = import.meta.resolve('tsx');
const stopTimeoutMs = 10_000;

/**
 * Serves the home's embedded database from a background process, so the CLI, workers and
 * tests can share it; returns the running one when there is one.
 */
export async function startEmbeddedDatabaseServer(home: string): Promise<{ url: string; pid: number }> {
  const state = await inspectEmbeddedServer(home);
  if (state.status === 'serving')
    return { url: embeddedPostgresUrl(embeddedHost, state.file.port), pid: state.file.pid };
  await mkdir(home, { recursive: true });
  const child = spawn(process.execPath, ['--import', tsxLoader, serverMain, '--home', home], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>,
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded database server exited with ${code}: ${stderr.trim()}`);
    }),
  ]);
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  const ready = JSON.parse(line) as { url: string; pid: number };
  return { url: ready.url, pid: ready.pid };
}

/** Stops the home's background database server; false when none was serving. */
export async function stopEmbeddedDatabaseServer(home: string): Promise<boolean> {
  const state = await inspectEmbeddedServer(home);
  if (state.status !== 'serving' && state.status !== 'starting') return false;
  process.kill(state.file.pid, 'SIGTERM');
  const deadline = Date.now() + stopTimeoutMs;
  while (Date.now() < deadline && (await inspectEmbeddedServer(home)).status !== 'absent') {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
