import { type ChildProcess, execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import {
  startEmbeddedDatabaseServer,
  stopEmbeddedDatabaseServer,
} from '../../../client/server/embedded-database.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { startWorkerProcess } from '../../support/worker-process.ts';
import { newHome } from './backends.ts';
import { expectCompletedOnce, registerSleepChain, runPast, workerLog } from './outage-run.ts';

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));

let home: string | undefined;
let stack: TestStack | undefined;
let worker: ChildProcess | undefined;

afterAll(async () => {
  worker?.kill('SIGKILL');
  await stack?.stop();
  if (home) {
    await stopEmbeddedDatabaseServer(home);
    await rm(home, { recursive: true, force: true });
  }
});

/** `swarmflow server status` on the home: its exit code and what it says of the database. */
async function serverStatus(env: NodeJS.ProcessEnv): Promise<{ code: number; database: string }> {
  const result = await promisify(execFile)(process.execPath, [cli, 'server', 'status'], { env }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, database: result.stdout.split('\n')[1] ?? '' };
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

it('keeps a worker through a killed embedded database, which server start brings back on its port', async () => {
  home = await newHome();
  const served = await startEmbeddedDatabaseServer(home);
  stack = await startTestStack({ home, databaseUrl: undefined });
  const env = { SWARMFLOW_HOME: home, DATABASE_URL: '' };
  const routine = await registerSleepChain(stack.client, 'embedded-outage', 30, 100);
  worker = await startWorkerProcess(stack.config, env);
  const log = workerLog(worker);
  const { runId } = await stack.client.startRun({ routineId: 'embedded-outage' });
  await runPast(stack.client, runId, 5);

  process.kill(served.pid, 'SIGKILL');
  await expect.poll(() => isGone(served.pid)).toBe(true);
  const port = new URL(served.url).port;
  await expect.poll(() => log.lines().length).toBe(1);
  expect(log.lines()[0]).toMatch(new RegExp(`^database 127\\.0\\.0\\.1:${port} is unreachable \\(`));
  const status = await serverStatus({
    ...process.env,
    ...env,
    TEMPORAL_ADDRESS: stack.config.temporalAddress,
  });
  expect(status.code).toBe(1);
  expect(status.database).toMatch(
    `unreachable, its server (pid ${served.pid}, port ${port}) is gone; \`swarmflow server start\` serves it again on port ${port}`,
  );
  const stalled = (await stack.client.getRunState(runId)).stepsExecuted;

  const restarted = await startEmbeddedDatabaseServer(home);
  expect(restarted.url).toBe(served.url);
  expect(restarted.pid).not.toBe(served.pid);

  const maxAttempt = await expectCompletedOnce(stack.client, runId, routine);
  expect(maxAttempt).toBeGreaterThan(1);
  expect(stalled).toBeLessThan(routine.steps.length);
  expect(worker.exitCode).toBeNull();
  expect(log.lines()).toHaveLength(2);
  expect(log.lines()[1]).toMatch(new RegExp(`^database 127\\.0\\.0\\.1:${port} is reachable again after `));
  expect((await serverStatus({ ...process.env, ...env })).database).toBe(
    `embedded PostgreSQL (PGlite) at 127.0.0.1:${port}: reachable`,
  );
}, 240_000);
