import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../../support/cli.ts';
import { freePort } from '../../support/free-port.ts';
import { billingTickets, triageDeployment, triageRoutine } from '../../support/triage.ts';

/**
 * `improve run` and `improve schedule` on embedded defaults: a throwaway stack (`--embedded`), and
 * the lasting local one (`server start`, a worker process, PGlite), with scripted models.
 */

const temporalCli = fileURLToPath(new URL('../../../.tools/bin/temporal', import.meta.url));

/** premium and budget answer alike; sloppy, the cheapest, answers wrong. */
const deployment = triageDeployment();
const routine = triageRoutine('triage');
const tickets = billingTickets.slice(0, 3);

let folder: string;
let routineFile: string;
let casesFile: string;
let configFile: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-improve-embedded-'));
  routineFile = join(folder, 'triage.json');
  casesFile = join(folder, 'cases.jsonl');
  configFile = join(folder, 'swarmflow.config.json');
  await writeFile(routineFile, JSON.stringify(routine));
  await writeFile(configFile, JSON.stringify(deployment));
  await writeFile(
    casesFile,
    tickets.map((text) => JSON.stringify({ input: { text }, expected: { category: 'billing' } })).join('\n'),
  );
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** The CLI on embedded defaults: no server address, no database URL; the scripted models' config. */
const embeddedEnv = (home: string, extra: NodeJS.ProcessEnv = {}) => ({
  SWARMFLOW_HOME: home,
  SWARMFLOW_CONFIG: configFile,
  DATABASE_URL: '',
  TEMPORAL_ADDRESS: '',
  SWARMFLOW_TENANT: '',
  SWARMFLOW_TASK_QUEUE: '',
  ...extra,
});

describe('improve run --embedded', () => {
  it('refuses what a throwaway stack cannot do, naming the option', async () => {
    const env = embeddedEnv(join(folder, 'refused'));
    const noCases = await runCli(['improve', 'run', routineFile, '--embedded'], env);
    expect(noCases.code).not.toBe(0);
    expect(noCases.stderr).toMatch(
      /dataset: --embedded starts an empty stack: give --dataset <cases\.jsonl>/,
    );
    const decision = await runCli(
      ['improve', 'run', routineFile, '--embedded', '--dataset', casesFile, '--wait-for-decision'],
      env,
    );
    expect(decision.stderr).toMatch(/waitForDecision: nobody can decide a proposal on the throwaway stack/);
  }, 120_000);

  it('runs one cycle of a routine file on its cases on a throwaway stack and prints it', async () => {
    const ran = await runCli(
      ['improve', 'run', routineFile, '--embedded', '--dataset', casesFile, '--auto-promote', '--json'],
      embeddedEnv(join(folder, 'throwaway')),
      280_000,
    );
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const printed = JSON.parse(ran.stdout);
    expect(printed).toMatchObject({ routineId: 'triage', baseline: { version: 1, score: 1 } });
    const byModel = Object.fromEntries(
      printed.candidates.map((c: { change: string }) => [c.change.split(' ')[1], c]),
    );
    expect(byModel.budget).toMatchObject({ optimizer: 'modelSelection', score: 1, decision: 'promoted' });
    expect(byModel.sloppy).toMatchObject({ score: 0, decision: 'rejected' });
    expect(printed.promoted).toBe(byModel.budget.version);
  }, 300_000);
});

describe('improve schedule and improve run on the lasting embedded defaults', () => {
  let worker: ChildProcess | undefined;
  afterAll(() => worker?.kill('SIGKILL'));

  it('schedules a cycle the Temporal CLI lists, and runs one that parks on its proposal until the printed command approves it', async () => {
    const env = embeddedEnv(join(folder, 'lasting'), { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    const started = await runCli(['server', 'start'], env);
    expect(started.stdout).toMatch(/embedded PostgreSQL \(PGlite\)/);
    try {
      worker = spawn(process.execPath, [cliPath, 'worker'], {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      expect((await runCli(['routine', 'register', routineFile], env)).code).toBe(0);
      for (const text of tickets) {
        const run = await runCli(
          ['run', 'triage', '--input', JSON.stringify({ text }), '--wait', '--json'],
          env,
        );
        expect(JSON.parse(run.stdout)).toMatchObject({
          status: 'completed',
          outputs: { category: 'billing' },
        });
      }

      const scheduled = await runCli(['improve', 'schedule', 'triage', '--every', '1d'], env);
      expect(scheduled).toMatchObject({
        code: 0,
        stdout: 'scheduled improve/default/triage every 1d (temporal schedule list shows it)\n',
      });
      const listed = await promisify(execFile)(temporalCli, [
        'schedule',
        'list',
        '--address',
        env.TEMPORAL_ADDRESS as string,
        '-o',
        'json',
      ]);
      expect(listed.stdout).toContain('improve/default/triage');

      const ran = await runCli(['improve', 'run', 'triage', '--cycle', 'now', '--wait', '--json'], env);
      expect(ran.code).toBe(0);
      const printed = JSON.parse(ran.stdout);
      expect(printed.promoted).toBeNull();
      expect(printed.pending.approve).toMatch(
        /^swarmflow improve approve triage improve\/default\/triage\/now\/v\d+$/,
      );
      const approved = await runCli(printed.pending.approve.split(' ').slice(1), env);
      expect(approved.stdout).toMatch(/^approved improve\/default\/triage\/now\/v\d+: triage version \d+\n$/);
      // diff, rollback and promote on the same embedded setup, once the cycle made the approved version active.
      const version = Number(/version (\d+)/.exec(approved.stdout)?.[1]);
      await expect
        .poll(async () => JSON.parse((await runCli(['routine', 'show', 'triage'], env)).stdout).version, {
          timeout: 30_000,
          interval: 1_000,
        })
        .toBe(version);
      const diff = await runCli(['routine', 'diff', 'triage', '1', String(version)], env);
      expect(diff.stdout).toMatch(/model/);
      const back = await runCli(['routine', 'rollback', 'triage'], env);
      expect(back.stdout).toBe(`triage: rolled back to version 1 (was ${version})\n`);
      const forward = await runCli(['routine', 'promote', 'triage', String(version)], env);
      expect(forward.stdout).toBe(`triage: version ${version} is active (was 1)\n`);
      const unscheduled = await runCli(['improve', 'unschedule', 'triage'], env);
      expect(unscheduled.stdout).toBe('deleted the schedule of triage\n');
    } finally {
      worker?.kill('SIGTERM');
      await runCli(['server', 'stop'], env);
    }
  }, 400_000);
});
