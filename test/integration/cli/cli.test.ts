import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bpmnProcess, flows } from '../../support/bpmn.ts';
import { cliPath as cli, runCli } from '../../support/cli.ts';
import { freePort } from '../../support/free-port.ts';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

const swarmflow = runCli;

let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'swarmflow-cli-'));
  env = {
    SWARMFLOW_HOME: home,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DATABASE_URL: inject('databaseUrl'),
    SWARMFLOW_TASK_QUEUE: `cli-${process.pid}`,
  };
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('swarmflow CLI', () => {
  it('refuses a model it cannot accept, naming the element and the problem', async () => {
    const file = join(home, 'complex.bpmn');
    await writeFile(
      file,
      bpmnProcess(`<bpmn:startEvent id="start" /><bpmn:complexGateway id="tricky" /><bpmn:endEvent id="end" />
        ${flows(['start', 'tricky'], ['tricky', 'end'])}`),
    );
    const result = await swarmflow(['routine', 'register', file], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/tricky/);
    expect(result.stderr).toMatch(/ComplexGateway/i);
  });

  it('refuses input that is not JSON, naming the option', async () => {
    const result = await swarmflow(
      ['run', join(examples, 'greeting.sequence.json'), '--input', '{name:'],
      env,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--input: not valid JSON/);
  });

  it('registers, lists and shows routines', async () => {
    const registered = await swarmflow(['routine', 'register', join(examples, 'order-fulfilment.bpmn')], env);
    expect(registered).toMatchObject({ code: 0 });
    expect(registered.stdout).toMatch(/order_fulfilment version \d+/);
    const list = await swarmflow(['routine', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id: 'order_fulfilment', kind: 'bpmn' }),
    );
    const show = await swarmflow(['routine', 'show', 'order_fulfilment'], env);
    expect(JSON.parse(show.stdout).processes[0].id).toBe('order_fulfilment');
  });

  it('runs a routine embedded and prints one JSON outcome', async () => {
    const result = await swarmflow(
      [
        'run',
        join(examples, 'order-fulfilment.bpmn'),
        '--input-file',
        join(examples, 'order-input.json'),
        '--embedded',
        '--json',
      ],
      { ...env, DATABASE_URL: '' },
    );
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout);
    expect(Object.keys(outcome).sort()).toEqual(['outputs', 'runId', 'status', 'trace', 'usage']);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { total: 127.5, reservation: 'R-3' } });
    expect(outcome.trace[0]).toEqual({
      elementId: 'order_received',
      type: 'startEvent',
      status: 'completed',
    });
  }, 240_000);
});

describe('the embedded default across processes', () => {
  let worker: ChildProcess | undefined;
  afterAll(() => worker?.kill('SIGKILL'));

  it('shares one server and embedded database between server start, a worker and the CLI', async () => {
    const shared = {
      SWARMFLOW_HOME: join(home, 'shared'),
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      DATABASE_URL: '',
    };
    const started = await swarmflow(['server', 'start'], shared);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/embedded PostgreSQL \(PGlite\)/);
    try {
      expect((await swarmflow(['server', 'status'], shared)).stdout).toMatch(/running at/);
      worker = spawn(process.execPath, [cli, 'worker'], {
        env: { ...process.env, ...shared },
        stdio: 'ignore',
      });
      const result = await swarmflow(
        ['run', join(examples, 'greeting.sequence.json'), '--input', '{"name": "Ada"}', '--wait', '--json'],
        shared,
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'completed',
        outputs: { shouted: 'HELLO, ADA!' },
      });
      const runs = await swarmflow(['runs', 'list', '--json'], shared);
      expect(JSON.parse(runs.stdout)).toContainEqual(
        expect.objectContaining({ routineId: 'greeting', status: 'completed' }),
      );
    } finally {
      worker?.kill('SIGTERM');
      const stopped = await swarmflow(['server', 'stop'], shared);
      expect(stopped.stdout).toMatch(/stopped dev server/);
    }
    expect((await swarmflow(['server', 'status'], shared)).stdout).toMatch(/not running/);
  }, 300_000);
});
