import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, readDemoCatalog, registerDemoCatalog } from '../../../client/demo-catalog.ts';
import { readRoutineFile } from '../../../client/routine-files.ts';
import { cliPath as cli, runCli } from '../../support/cli.ts';
import { commandLineOf, descendantsOf, isRunning } from '../../support/process-tree.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';

/**
 * No command waits forever or fails without saying why: `--wait` ends on an incident, every
 * `--json` failure carries a typed error, the rule planner says what it could not do, and an
 * embedded stack never outlives the process that owns it. Each through the CLI as a user runs it.
 */

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/cli/${name}`, import.meta.url));

const swarmflow = (args: string[], env: Record<string, string>) => runCli(args, env, 180_000);

/** `swarmflow swarm start --goal <goal> --planner rules --json <extra>`, as a user runs it. */
const startRulesSwarm = (goal: string, extra: string[], env: Record<string, string>) =>
  swarmflow(['swarm', 'start', '--goal', goal, '--planner', 'rules', ...extra, '--json'], env);

let stack: TestStack;
let catalog: DemoCatalog;
let env: Record<string, string>;
/** The environment of a user with nothing running: `--embedded` brings up its own stack. */
let bare: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'clear-endings' });
  await stack.startWorker();
  catalog = await readDemoCatalog();
  await registerDemoCatalog(stack.client, catalog);
  await stack.client.registerRoutine({
    ...(await readRoutineFile(fixture('no-route.bpmn'))),
    id: 'route-amount',
    name: 'Route amount',
    description: 'Routes an amount to the small or the large desk',
    inputSchema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
  });
  env = stackEnv(stack.config);
  bare = { ...stackEnv(stack.config), DATABASE_URL: '', TEMPORAL_ADDRESS: '127.0.0.1:1' };
});
afterAll(() => stack?.stop());

// Each CLI call compiles the CLI on start, and an embedded one bundles the workflows: minutes on a loaded machine.
describe('--wait on a run that parks on an incident', { timeout: 300_000 }, () => {
  it('with --embedded ends with status incident, the element, the error and what to do, and leaves no process', async () => {
    const child = spawn(
      process.execPath,
      [cli, 'run', fixture('no-route.bpmn'), '--input', '{"amount": 500}', '--embedded', '--wait', '--json'],
      { env: bare, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const seen = new Map<number, string | undefined>();
    const watch = setInterval(() => {
      for (const pid of descendantsOf(child.pid as number))
        seen.set(pid, seen.get(pid) ?? commandLineOf(pid));
    }, 200);
    const { code, stdout } = await exited(child);
    clearInterval(watch);

    expect(code).toBe(1);
    const outcome = JSON.parse(stdout);
    expect(outcome).toMatchObject({
      status: 'incident',
      outputs: { amount: 500 },
      error: {
        type: 'Incident',
        elementId: 'route',
        message: expect.stringContaining('no outgoing sequence flow has a true condition'),
        hint: expect.stringMatching(/throwaway stack of --embedded is gone.*swarmflow runs resolve/),
      },
    });
    expect([...seen.values()].join('\n')).toMatch(/temporal server start-dev/);
    await expect.poll(() => [...seen.keys()].filter(isRunning)).toEqual([]);
  });

  it('without --embedded ends with the resolve command; with --wait-through-incidents it waits until resolved', async () => {
    const ended = await swarmflow(['run', 'route-amount', '--input', '{"amount": 500}', '--wait'], env);
    expect(ended.code).toBe(1);
    expect(ended.stdout).toMatch(/: incident\n/);
    expect(ended.stdout).toMatch(/error \(Incident at route\): route: no outgoing sequence flow/);
    expect(ended.stdout).toMatch(/swarmflow runs resolve \S+ --set '<json>'/);
    const runId = /^run (\S+): incident$/m.exec(ended.stdout)?.[1] as string;
    const result = await swarmflow(['runs', 'result', runId], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      runId,
      status: 'incident',
      error: { type: 'Incident', elementId: 'route' },
    });

    const waiting = swarmflow(
      [
        'run',
        'route-amount',
        '--input',
        '{"amount": 500}',
        '--id',
        'patient',
        '--json',
        '--wait-through-incidents',
      ],
      env,
    );
    await expect
      .poll(() => stack.client.getRunState('patient').then((state) => state.status), { timeout: 120_000 })
      .toBe('incident');
    await stack.client.resolveIncident('patient', { variables: { amount: 50 } });
    const resolved = await waiting;
    expect(resolved.code).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ runId: 'patient', status: 'completed' });
    expect(JSON.parse(resolved.stdout)).not.toHaveProperty('error');
  });

  it('refuses --wait-through-incidents with --embedded, naming the flag', async () => {
    const result = await swarmflow(
      ['run', fixture('no-route.bpmn'), '--embedded', '--wait-through-incidents'],
      bare,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--wait-through-incidents: nobody can resolve an incident/);
  });
});

describe('swarm start --json says why a swarm did not complete', { timeout: 300_000 }, () => {
  it('names the goal and the nearest routines with their scores when no routine matches (embedded)', async () => {
    const result = await startRulesSwarm('Translate the poem into Klingon', ['--embedded'], bare);
    expect(result.code).toBe(1);
    const outcome = JSON.parse(result.stdout);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({
      type: 'NoMatchingRoutine',
      message: expect.stringMatching(
        /goal "Translate the poem into Klingon"; nearest: (assemble-brief|draft-announcement|quote-launch-price) \(0(\.\d+)?\)/,
      ),
      hint: expect.stringContaining('swarmflow routine register'),
    });
  });

  it('names the missing inputs of the chosen routines and the --input flag that supplies them', async () => {
    const result = await startRulesSwarm(catalog.goal, [], env);
    expect(result.code).toBe(1);
    const { status, error } = JSON.parse(result.stdout);
    expect(status).toBe('failed');
    expect(error.type).toBe('MissingRoutineInput');
    expect(error.message).toContain(`goal "${catalog.goal}"`);
    expect(error.message).toMatch(/quote-launch-price needs quantity, unitPrice/);
    expect(error.hint).toMatch(/--input '\{"product": …, "quantity": …, "unitPrice": …\}'/);
  });

  it('ends when a child run parks on an incident, naming the subtask, the element and the resolve command', async () => {
    const result = await startRulesSwarm(
      'Route the amount to a desk',
      ['--input', '{"amount": 500}', '--id', 'parked-swarm'],
      env,
    );
    expect(result.code).toBe(1);
    const outcome = JSON.parse(result.stdout);
    expect(outcome.status).toBe('incident');
    expect(outcome.error).toMatchObject({
      type: 'Incident',
      subtaskId: 'route-amount',
      elementId: 'route',
      runId: 'parked-swarm:route-amount',
      hint: expect.stringContaining('swarmflow runs resolve parked-swarm:route-amount'),
    });
    await stack.client.swarms.stop('parked-swarm', { mode: 'force' });
  });

  it('gives each failed subtask its own error', async () => {
    const result = await startRulesSwarm(
      'Route the amount to a desk',
      ['--input', '{"amount": "a lot"}'],
      env,
    );
    const outcome = JSON.parse(result.stdout);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({
      type: 'SubtasksFailed',
      hint: expect.stringContaining('transcript'),
    });
    expect(outcome.subtasks).toEqual([
      expect.objectContaining({
        id: 'route-amount',
        status: 'failed',
        error: {
          type: 'InvalidRoutineInput',
          subtaskId: 'route-amount',
          message: expect.stringMatching(/input for routine route-amount .* amount/),
        },
      }),
    ]);
  });
});

describe('an embedded stack never outlives its owner', { timeout: 360_000 }, () => {
  const longRun = [cli, 'run', fixture('long-sleep.sequence.json'), '--embedded', '--wait'];

  it('is stopped, folder and all, when the owner is killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, longRun, { env: bare, stdio: 'ignore' });
    const processes = await untilServing(owner.pid as number);
    const home = /--db-filename (\S+)\/temporal\.db/.exec(processes.map(commandLineOf).join(' '))?.[1];
    expect(home).toBeDefined();

    owner.kill('SIGKILL');

    await expect.poll(() => processes.filter(isRunning), { timeout: 30_000 }).toEqual([]);
    await expect.poll(() => existsSync(home as string), { timeout: 30_000 }).toBe(false);
  });

  it("is stopped when the owner's parent is killed", async () => {
    // `; true` keeps the shell from replacing itself with the CLI: the CLI is the shell's child.
    const command = `'${process.execPath}' ${longRun.map((arg) => `'${arg}'`).join(' ')}; true`;
    const parent = spawn('sh', ['-c', command], { env: bare, stdio: 'ignore' });
    const processes = await untilServing(parent.pid as number);

    parent.kill('SIGKILL');

    await expect.poll(() => processes.filter(isRunning), { timeout: 60_000 }).toEqual([]);
  });
});

/** The descendants of `pid` once a Temporal dev server is among them and serving a run. */
async function untilServing(pid: number): Promise<number[]> {
  let found: number[] = [];
  await expect
    .poll(
      () => {
        found = descendantsOf(pid);
        return found.map(commandLineOf).join('\n');
      },
      { timeout: 200_000, interval: 500 },
    )
    .toMatch(/temporal server start-dev/);
  // Let the CLI get on to waiting for its run, past starting its worker.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  return descendantsOf(pid);
}

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
}
