import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../client/api/server.ts';
import { startTestApiServer, tenantWithKeys } from '../../support/api-server.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * The packages as a user gets them: built, packed with `npm pack`, installed into a new project
 * outside the repo, type-checked there and run against a real API server.
 */

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = join(repo, 'node_modules', '.bin', 'tsc');

let stack: TestStack;
let server: ApiServer;
let consumer: string;
let clientTarball: string;
let engineTarball: string;
let dependencyTree: { entries: string[]; kilobytes: number };

/** What the project's node_modules holds: its top-level entries and their size. */
async function installedTree(project: string): Promise<{ entries: string[]; kilobytes: number }> {
  const entries = (await readdir(join(project, 'node_modules'))).filter((name) => !name.startsWith('.'));
  const { stdout } = await sh('du', ['-sk', join(project, 'node_modules')], project);
  return { entries: entries.sort(), kilobytes: Number(stdout.split('\t')[0]) };
}

/** Runs a command, failing with its output when it fails. */
async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const usage = `
import {
  SwarmflowClient,
  UnknownRunError,
  ValidationError,
  type RunOutcome,
} from '@swarmflow/client';

const client = new SwarmflowClient({ url: process.env.SWARMFLOW_URL!, apiKey: process.env.SWARMFLOW_API_KEY! });
const registered = await client.registerRoutine({
  id: 'packaged-greeting',
  body: { kind: 'sequence', steps: [{ id: 'greet', expression: '"Hello, " + name', resultVariable: 'greeting' }] },
});
const { runId } = await client.startRun({ routineId: registered.id, input: { name: 'Ada' } });
const outcome: RunOutcome = await client.awaitRun(runId);
let badInput = '';
try {
  await client.startRun({ routineId: registered.id, input: { name: 'Ada' }, version: -1 });
} catch (error) {
  if (error instanceof ValidationError) badInput = error.problems.join('; ');
}
let unknown = '';
try {
  await client.getRunState('no-such-run');
} catch (error) {
  if (error instanceof UnknownRunError) unknown = error.runId;
}
console.log(JSON.stringify({ version: registered.version, status: outcome.status, outputs: outcome.outputs, badInput, unknown }));
`;

const typeError = `
import { SwarmflowClient } from '@swarmflow/client';
const client = new SwarmflowClient({ url: 'http://127.0.0.1:1', apiKey: 'sfk_x' });
await client.startRun({ routine: 'misnamed-field' });
`;

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    outDir: 'out',
    skipLibCheck: false,
  },
};

beforeAll(async () => {
  await sh('node', ['scripts/build.js'], repo);
  const packed = await mkdtemp(join(tmpdir(), 'swarmflow-packed-'));
  const [client] = JSON.parse(
    (await sh('npm', ['pack', '--json', '--pack-destination', packed], join(repo, 'packages', 'client')))
      .stdout,
  );
  const [engine] = JSON.parse(
    (await sh('npm', ['pack', '--json', '--pack-destination', packed], repo)).stdout,
  );
  clientTarball = join(packed, client.filename);
  engineTarball = join(packed, engine.filename);

  consumer = await mkdtemp(join(tmpdir(), 'swarmflow-consumer-'));
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['main.ts'] }));
  await writeFile(join(consumer, 'main.ts'), usage);
  await mkdir(join(consumer, 'bad'));
  await writeFile(join(consumer, 'bad', 'main.ts'), typeError);
  await writeFile(
    join(consumer, 'bad', 'tsconfig.json'),
    JSON.stringify({ ...tsconfig, files: ['main.ts'] }),
  );
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', clientTarball], consumer);
  dependencyTree = await installedTree(consumer);
  // A service has Node's types for its own code (process.env); the client does not need them.
  await sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', '@types/node@20'],
    consumer,
  );

  stack = await startTestStack();
  await stack.startWorker();
  server = await startTestApiServer(stack);
}, 300_000);
afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

describe('the packages', () => {
  it('installs the client with zod as its one dependency', () => {
    const { entries, kilobytes } = dependencyTree;
    console.log(`@swarmflow/client installed: ${entries.join(', ')}; ${kilobytes} kB in node_modules`);
    expect(entries).toEqual(['@swarmflow', 'zod']);
    expect(kilobytes).toBeLessThan(10_000);
  });

  it('type-checks a service that uses it, and reports a deliberate type error', async () => {
    await sh(tsc, ['-p', '.', '--noEmit'], consumer);
    const failed = await run(tsc, ['-p', '.', '--noEmit'], { cwd: join(consumer, 'bad') }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(failed).toMatch(/main\.ts\(\d+,\d+\): error TS\d+: .*routine/);
  });

  it('drives a real API server with a key: registers, runs, awaits, and reads typed errors', async () => {
    const { keys } = await tenantWithKeys(stack, 'packaged', ['admin']);
    await sh(tsc, ['-p', '.'], consumer);
    const { stdout } = await sh('node', ['out/main.js'], consumer, {
      SWARMFLOW_URL: server.url,
      SWARMFLOW_API_KEY: keys.admin,
    });
    expect(JSON.parse(stdout)).toEqual({
      version: 1,
      status: 'completed',
      outputs: expect.objectContaining({ greeting: 'Hello, Ada' }),
      badInput: expect.stringContaining('version'),
      unknown: 'no-such-run',
    });
  });

  it('packs the engine with its build and CLI, and no tests, fixtures or bench', async () => {
    const { stdout } = await sh('tar', ['tzf', engineTarball], repo);
    const files = stdout.trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/bin/swarmflow.js',
      ]),
    );
    expect(files.filter((file) => /\/(test|bench)\/|\.test\.|fixtures/.test(file))).toEqual([]);
    const { stdout: exported } = await sh(
      'node',
      [
        '--input-type=module',
        '-e',
        "const m = await import('swarmflow'); console.log(typeof m.createSwarmflowWorker, typeof m.SwarmflowClient)",
      ],
      repo,
    );
    expect(exported.trim()).toBe('function function');
  });

  it('runs the built CLI: a routine run on the embedded stack from dist/', async () => {
    const home = await mkdtemp(join(tmpdir(), 'swarmflow-dist-home-'));
    try {
      const { stdout } = await sh(
        'node',
        [
          join(repo, 'dist', 'client', 'cli', 'main.js'),
          'run',
          join(repo, 'examples', 'greeting.sequence.json'),
          '--input',
          '{"name": "Ada"}',
          '--json',
          '--embedded',
        ],
        home,
        { SWARMFLOW_HOME: home },
      );
      expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', outputs: { shouted: 'HELLO, ADA!' } });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
