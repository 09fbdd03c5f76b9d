import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCatalog } from '../../../client/demo-catalog.ts';

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));

/** Runs the CLI on embedded defaults only: no server, no database URL, no deployment config. */
async function embedded(args: string[]) {
  return promisify(execFile)(process.execPath, [cli, ...args], {
    env: {
      ...process.env,
      SWARMFLOW_HOME: home,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      SWARMFLOW_CONFIG: '',
    },
    cwd: home,
    timeout: 280_000,
  });
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'swarmflow-demo-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('the offline demo on embedded defaults', () => {
  it('swarmflow demo runs the launch swarm to its result and names its Temporal workflows', async () => {
    const { stdout } = await embedded(['demo']);
    const swarmId = /swarm (launch-\w+): completed/.exec(stdout)?.[1];
    expect(swarmId).toBeDefined();
    expect(stdout).toContain('First order: 3 for 127.5');
    for (const subtask of ['price', 'announce', 'brief'])
      expect(stdout).toContain(`run/${swarmId}:${subtask}  (run of subtask ${subtask})`);
    expect(stdout).toMatch(/swarmflow server start --ui/);

    // It ends with one improvement cycle on the sample routine: the candidate, the scores, the decision.
    const cycle = stdout.slice(stdout.indexOf('Improvement: one cycle on draft-announcement'));
    expect(cycle).toContain('improve/default/draft-announcement/demo\n');
    const baseline = /baseline {3}version 1: score 1, cost per run ([\d.]+)\n/.exec(cycle);
    expect(cycle).toContain(
      'candidate  version 2 by modelSelection: model demo-writer-lite for step write (demo-writer)\n',
    );
    const candidate = /\n {13}score 1, cost per run ([\d.]+)\n/.exec(cycle);
    expect(Number(candidate?.[1])).toBeLessThan(Number(baseline?.[1]));
    expect(cycle).toMatch(
      /\n {13}promoted: the same score within ±0\.02: score 1 vs 1 \(difference 0, 95% CI 0 to 0, 4 paired cases\), at lower cost: cost per run [\d.]+ vs [\d.]+\n/,
    );
    expect(cycle).toContain('promoted version 2: it is active now\n');
  }, 300_000);

  it('swarm start --embedded loads the sample catalog and plans it by rules without a model', async () => {
    const { goal, input } = await readDemoCatalog();
    const { stdout } = await embedded([
      'swarm',
      'start',
      '--embedded',
      '--json',
      '--goal',
      goal,
      '--input',
      JSON.stringify(input),
    ]);
    const outcome = JSON.parse(stdout);
    expect(outcome.status).toBe('completed');
    expect(
      outcome.subtasks.map((subtask: { id: string; status: string }) => `${subtask.id}:${subtask.status}`),
      // In the planner's order: by how near each routine is to the goal, then after what it needs.
    ).toEqual(['quote-launch-price:done', 'draft-announcement:done', 'assemble-brief:done']);
    expect(JSON.stringify(outcome.result)).toContain('First order: 3 for 127.5');
  }, 300_000);
});
