import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, readDemoCatalog, registerDemoCatalog } from '../../../client/demo-catalog.ts';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';

const demoDir = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

const swarmflow = (args: string[]) => runCli(args, stackEnv(stack.config), 120_000);

/** The demo's deployment with its script path relative to the repository, as `startWorker` reads it. */
async function demoDeploymentInput() {
  const config = JSON.parse(await readFile(join(demoDir, 'swarmflow.config.json'), 'utf8'));
  config.models['demo-leader'].script = 'examples/demo/leader.script.json';
  return config;
}

let stack: TestStack;
let catalog: DemoCatalog;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'swarm-cli' });
  await stack.startWorker({ deployment: await demoDeploymentInput() });
  catalog = await readDemoCatalog();
  await registerDemoCatalog(stack.client, catalog);
});
afterAll(() => stack?.stop());

/** `swarmflow swarm start` on the demo's goal, with the given options. */
const startDemoGoal = (options: string[]) =>
  swarmflow(['swarm', 'start', '--goal', catalog.goal, ...options]);

// Each CLI call compiles the CLI on start; on a loaded 2-core machine a test's calls take minutes.
describe('swarmflow swarm', { timeout: 240_000 }, () => {
  it('runs the scripted launch swarm to its result and prints one JSON object', async () => {
    const result = await startDemoGoal([
      '--team',
      join(demoDir, 'agents.json'),
      '--input',
      JSON.stringify(catalog.input),
      '--id',
      'cli-launch',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout);
    expect(Object.keys(outcome).sort()).toEqual(['result', 'status', 'subtasks', 'swarmId', 'usage']);
    expect(outcome).toMatchObject({
      swarmId: 'cli-launch',
      status: 'completed',
      result: { brief: expect.stringContaining('First order: 3 for 127.5') },
    });
    expect(outcome.subtasks).toEqual([
      { id: 'price', description: 'Price the first launch order', status: 'done', assignee: 'analyst' },
      { id: 'announce', description: 'Draft the launch announcement', status: 'done', assignee: 'writer' },
      {
        id: 'brief',
        description: 'Assemble the launch brief from the price and the announcement',
        status: 'done',
        assignee: 'analyst',
      },
    ]);
    expect(outcome.usage.credits).toBeGreaterThan(0);
  });

  it('shows, lists and tells the story of a swarm', async () => {
    const status = await swarmflow(['swarm', 'status', 'cli-launch']);
    expect(status.stdout).toMatch(/swarm cli-launch: completed/);
    expect(status.stdout).toMatch(/run\/cli-launch:brief/);
    const listed = JSON.parse((await swarmflow(['swarm', 'list', '--json'])).stdout);
    expect(listed).toContainEqual(
      expect.objectContaining({
        swarmId: 'cli-launch',
        status: 'completed',
        subtasksDone: 3,
        subtasksTotal: 3,
      }),
    );
    const transcript = await swarmflow(['swarm', 'transcript', 'cli-launch']);
    expect(transcript.stdout).toMatch(/lead → swarm \[tool_call\] swarm__update_swarm_shared_state/);
    expect(transcript.stdout).toMatch(/swarm__end_swarm/);
  });

  it('refuses a bad team file, naming the file and the field', async () => {
    const file = join(stack.config.home, 'bad-team.json');
    await writeFile(
      file,
      JSON.stringify([
        { id: 'lead', role: 'leader' },
        { id: 'helper', role: '' },
      ]),
    );
    const result = await swarmflow(['swarm', 'start', '--goal', 'anything', '--team', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/1\.role:/);
  });

  it('refuses limits that are not swarm limits, naming the option and the field', async () => {
    const result = await swarmflow(['swarm', 'start', '--goal', 'anything', '--limits', '{"maxCredit": 1}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--limits/);
    expect(result.stderr).toMatch(/maxCredit/);
  });

  it('exits 1 when a waited swarm does not complete', async () => {
    const result = await startDemoGoal([
      '--team',
      join(demoDir, 'agents.json'),
      '--limits',
      '{"maxCredits": 0.000001, "onLimit": "stop"}',
      '--wait',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/: stopped/);
  });

  it('pauses, messages, resumes and stops a swarm', async () => {
    const started = await startDemoGoal([
      '--input',
      JSON.stringify(catalog.input),
      '--planner',
      'rules',
      '--await-messages',
      '--id',
      'cli-control',
    ]);
    expect(started.stdout).toMatch(/started swarm cli-control \(workflow swarm\/cli-control\)/);
    expect((await swarmflow(['swarm', 'pause', 'cli-control', '--reason', 'coffee'])).stdout).toMatch(
      /paused/,
    );
    expect((await swarmflow(['swarm', 'message', 'cli-control', 'take your time'])).stdout).toMatch(
      /message \d+ sent to swarm cli-control/,
    );
    expect((await swarmflow(['swarm', 'resume', 'cli-control'])).code).toBe(0);
    const stopped = await swarmflow(['swarm', 'stop', 'cli-control', '--force', '--reason', 'enough']);
    expect(stopped.stdout).toMatch(/stop \(force\) requested for swarm cli-control/);
    await expect
      .poll(async () => (await stack.client.swarms.get('cli-control')).status, { timeout: 30_000 })
      .toBe('stopped');
    const transcript = await stack.client.swarms.transcript('cli-control', {});
    expect(transcript).toContainEqual(expect.objectContaining({ from: 'user', text: 'take your time' }));
  });
});
