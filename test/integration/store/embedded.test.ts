import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../activities/store/database.ts';
import { embeddedServerFilePath } from '../../../activities/store/embedded-server-file.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { getRun } from '../../../activities/store/run-read-model.ts';
import { embeddedConfig, newHome } from './backends.ts';
import { compiledRoutine, sequenceDefinition } from './fixtures.ts';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const peerScript = fileURLToPath(new URL('./embedded-peer.ts', import.meta.url));
const mainScript = fileURLToPath(
  new URL('../../../activities/store/embedded-postgres-main.ts', import.meta.url),
);

const homes: string[] = [];
const children: ChildProcess[] = [];

async function freshHome(): Promise<string> {
  const home = await newHome();
  homes.push(home);
  return home;
}

const readServerFile = async (home: string): Promise<unknown> =>
  JSON.parse(await readFile(embeddedServerFilePath(home), 'utf8'));

const serverFileExists = (home: string) =>
  readFile(embeddedServerFilePath(home)).then(
    () => true,
    () => false,
  );

async function runPeer(home: string, runId: string): Promise<{ routineIds: string[]; servedBy: unknown }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', peerScript, home, runId],
    {
      cwd: projectRoot,
    },
  );
  return JSON.parse(stdout);
}

/** Starts embedded-postgres-main for `home` and resolves with the line it prints once it serves. */
async function startMain(
  home: string,
): Promise<{ child: ChildProcess; ready: { pid: number; port: number } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript, '--home', home], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, ready: JSON.parse(line) };
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
});

describe('the embedded database (PGlite)', () => {
  it('is served by the first process that opens a home and shared with a second process', async () => {
    const home = await freshHome();
    const handle = await openDatabase(embeddedConfig(home));
    const servedBy = await readServerFile(home);
    expect(servedBy).toEqual({ pid: process.pid, port: expect.any(Number) });
    expect(handle.url).toBe(`postgres://postgres@127.0.0.1:${(servedBy as { port: number }).port}/postgres`);
    await new RoutineStore(handle.db).register(
      'default',
      sequenceDefinition('shared'),
      compiledRoutine(),
      'h',
      'x',
    );

    const peer = await runPeer(home, 'peer-run');

    expect(peer).toEqual({ routineIds: ['shared'], servedBy });
    expect(await getRun(handle.db, 'peer-run')).toMatchObject({ input: { from: 'peer' }, status: 'running' });
    expect(await readServerFile(home)).toEqual(servedBy);

    await handle.close();
    expect(await serverFileExists(home)).toBe(false);

    const reopened = await openDatabase(embeddedConfig(home));
    try {
      expect((await new RoutineStore(reopened.db).get('default', 'shared')).version).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it('lets two openers race for a home: one serves it, both use it', async () => {
    const home = await freshHome();
    const [first, second] = await Promise.all([
      openDatabase(embeddedConfig(home)),
      openDatabase(embeddedConfig(home)),
    ]);
    expect(first.url).toBe(second.url);
    await new RoutineStore(first.db).register(
      'default',
      sequenceDefinition('raced'),
      compiledRoutine(),
      'h',
      'x',
    );
    expect((await new RoutineStore(second.db).list('default')).map((routine) => routine.id)).toEqual([
      'raced',
    ]);
    await Promise.all([first.close(), second.close()]);
    expect(await serverFileExists(home)).toBe(false);
  });

  it('replaces a pglite.json left by a process that is gone', async () => {
    const home = await freshHome();
    await writeFile(embeddedServerFilePath(home), JSON.stringify({ pid: 2 ** 22 + 1, port: 1 }));
    const handle = await openDatabase(embeddedConfig(home));
    try {
      expect(await readServerFile(home)).toMatchObject({ pid: process.pid });
    } finally {
      await handle.close();
    }
  });

  it('is served by embedded-postgres-main until SIGTERM, and a second server is refused', async () => {
    const home = await freshHome();
    const { child, ready } = await startMain(home);
    expect(await readServerFile(home)).toEqual({ pid: child.pid, port: ready.port });

    const handle = await openDatabase(embeddedConfig(home));
    await new RoutineStore(handle.db).register(
      'default',
      sequenceDefinition('served'),
      compiledRoutine(),
      'h',
      'x',
    );
    await handle.close();
    expect(await readServerFile(home)).toEqual({ pid: child.pid, port: ready.port });

    const second = spawn(process.execPath, ['--import', 'tsx', mainScript, '--home', home], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(second);
    const stderr: string[] = [];
    second.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
    const [secondExitCode] = await once(second, 'exit');
    expect(secondExitCode).not.toBe(0);
    expect(stderr.join('')).toContain(`already served by process ${child.pid} on 127.0.0.1:${ready.port}`);

    child.kill('SIGTERM');
    const [exitCode] = await once(child, 'exit');
    expect(exitCode).toBe(0);
    expect(await serverFileExists(home)).toBe(false);
  });
});
