import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isDatabaseConnectionError } from '../../../activities/resilience/database-errors.ts';
import { connectDatabase } from '../../../activities/store/database.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { TcpProxy } from '../../support/tcp-proxy.ts';
import { startWorkerProcess } from '../../support/worker-process.ts';
import { expectCompletedOnce, registerSleepChain, runPast, workerLog } from './outage-run.ts';

let stack: TestStack;
const workers: ChildProcess[] = [];
const admin = new pg.Client({ connectionString: inject('databaseUrl') });
admin.on('error', () => {});

beforeAll(async () => {
  stack = await startTestStack();
  await admin.connect();
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await admin.end();
  await stack?.stop();
});

/** The test database's URL, tagged with an application name of its own, through `port` when given. */
function databaseUrl(applicationName: string, port?: number): string {
  const url = new URL(inject('databaseUrl'));
  url.searchParams.set('application_name', applicationName);
  if (port !== undefined) url.port = String(port);
  return url.toString();
}

/**
 * Terminates the backends of `applicationName` (never the admin's own): with `which` 'busy', one
 * running a statement or inside a transaction; with 'idle', those idle for half a second or more
 * (a connection idle that long sits in the pool; one idle for less may be about to run a
 * statement, whose failure would count against its step's attempts). How many it ended.
 */
async function terminateBackends(applicationName: string, which?: 'busy' | 'idle'): Promise<number> {
  const { rows } = await admin.query<{ ended: boolean }>(
    `select pg_terminate_backend(pid) as ended from pg_stat_activity
     where application_name = $1 and pid <> pg_backend_pid()
       and case $2::text
         when 'busy' then state <> 'idle'
         when 'idle' then state = 'idle' and state_change < now() - interval '500 milliseconds'
         else true end
     limit case when $2::text = 'busy' then 1 end`,
    [applicationName, which ?? null],
  );
  return rows.filter((row) => row.ended).length;
}

async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const worker = await startWorkerProcess(stack.config, env);
  workers.push(worker);
  return worker;
}

describe('a PostgreSQL connection lost', () => {
  it('between two statements of a transaction fails the next statement, not the process', async () => {
    const name = `sf_tx_${randomBytes(4).toString('hex')}`;
    const handle = await connectDatabase(databaseUrl(name));
    try {
      const failure = await handle.db
        .transaction()
        .execute(async (trx) => {
          await sql`select 1`.execute(trx);
          await expect.poll(() => terminateBackends(name)).toBe(1);
          await sleep(200); // the client's 'error' event arrives while no statement runs
          await sql`select 2`.execute(trx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(isDatabaseConnectionError(failure)).toBe(true);
      expect((await sql<{ one: number }>`select 1 as one`.execute(handle.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('mid-statement while a worker runs steps, and idle in its pool between runs: it survives, each run completes once', async () => {
    const name = `sf_worker_${randomBytes(4).toString('hex')}`;
    // Long enough (60 steps of 50 ms) to catch a statement in flight three times.
    const routine = await registerSleepChain(stack.client, 'terminated-backends', 60, 50);
    const worker = await startWorker({ DATABASE_URL: databaseUrl(name) });
    const { runId } = await stack.client.startRun({ routineId: 'terminated-backends' });
    await runPast(stack.client, runId, 2);
    // Busy backends are ended one at a time, three times in all: fewer than a step's four attempts.
    let busyEnded = 0;
    let finished = false;
    const outcome = stack.client.awaitRun(runId).finally(() => {
      finished = true;
    });
    const deadline = Date.now() + 120_000;
    while (!finished && Date.now() < deadline) {
      if (busyEnded < 3) busyEnded += await terminateBackends(name, 'busy');
      await sleep(5);
    }
    if (!finished) {
      const state = await stack.client.getRunState(runId);
      expect.fail(
        `the run did not end in 120 s: ${JSON.stringify({ status: state.status, error: state.error, busyEnded })}`,
      );
    }
    await outcome;
    expect(busyEnded).toBe(3);
    await expectCompletedOnce(stack.client, runId, routine);

    // Between runs the worker's connections sit idle in its pool: end them all, then run again.
    await expect.poll(() => terminateBackends(name, 'idle')).toBeGreaterThan(0);
    const again = await registerSleepChain(stack.client, 'after-idle-ended', 5, 20);
    const second = await stack.client.startRun({ routineId: 'after-idle-ended' });
    await expectCompletedOnce(stack.client, second.runId, again);
    expect(worker.exitCode).toBeNull();
  }, 180_000);

  it('to a database refusing connections for 30 s: the worker waits, says so once, and the run completes', async () => {
    const { hostname, port } = new URL(inject('databaseUrl'));
    const proxy = await TcpProxy.start({ host: hostname, port: Number(port || 5432) });
    try {
      const routine = await registerSleepChain(stack.client, 'refused-connections', 20, 100);
      const worker = await startWorker({ DATABASE_URL: databaseUrl('sf_proxy', proxy.port) });
      const log = workerLog(worker);
      const { runId } = await stack.client.startRun({ routineId: 'refused-connections' });
      await runPast(stack.client, runId, 3);

      await proxy.refuse();
      await expect.poll(() => log.lines().length).toBe(1);
      expect(log.lines()[0]).toMatch(
        new RegExp(`^database 127\\.0\\.0\\.1:${proxy.port} is unreachable \\(`),
      );
      const stalled = (await stack.client.getRunState(runId)).stepsExecuted;
      await sleep(30_000);
      expect((await stack.client.getRunState(runId)).stepsExecuted).toBe(stalled);
      await proxy.admit();

      expect(await expectCompletedOnce(stack.client, runId, routine)).toBeGreaterThan(1);
      expect(worker.exitCode).toBeNull();
      expect(log.lines()).toHaveLength(2);
      expect(log.lines()[1]).toMatch(/is reachable again after 3\d\.\d s$/);
    } finally {
      await proxy.stop();
    }
  }, 180_000);
});
