import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { killWorkerProcess, startWorkerProcess } from '../../support/worker-process.ts';
import {
  callTool,
  leaderDeployment,
  registerSampleRoutines,
  subtaskStatuses,
  waitForSwarm,
} from './support.ts';

const leader = leaderDeployment([
  callTool('Phase: planning', 'update_swarm_shared_state', {
    subtasks: {
      set: [
        { id: 's1', description: 'wait', routineId: 'slow-step' },
        { id: 's2', description: 'wait more', routineId: 'slow-step', dependsOn: ['s1'] },
        {
          id: 's3',
          description: 'facts',
          routineId: 'collect-facts',
          dependsOn: ['s2'],
          input: { topic: 'x' },
        },
      ],
    },
  }),
  { match: '^ok: subtasks set', text: 'Planned.' },
  { match: 'Phase: review', text: 'All done.' },
]);

let stack: TestStack;
let configFile: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'swarm-durability' });
  await registerSampleRoutines(stack.client);
  configFile = join(await mkdtemp(join(tmpdir(), 'swarmflow-swarm-kill-')), 'swarmflow.config.json');
  await writeFile(configFile, JSON.stringify(leader));
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stack?.stop();
});

async function startWorker(): Promise<ChildProcess> {
  const worker = await startWorkerProcess(stack.config, { SWARMFLOW_CONFIG: configFile });
  workers.push(worker);
  return worker;
}

it('finishes a swarm after its worker is killed mid-swarm, running no subtask twice', async () => {
  const first = await startWorker();
  const { swarmId } = await stack.client.swarms.start('survive a crash', { swarmId: 'survivor' });
  await waitForSwarm(
    stack.client,
    swarmId,
    's2 running',
    (state) => subtaskStatuses(state).s2 === 'in_progress',
  );
  await killWorkerProcess(first);

  await startWorker();
  const outcome = await stack.client.swarms.result(swarmId);
  expect(outcome.status).toBe('completed');
  expect(subtaskStatuses(outcome)).toEqual({ s1: 'done', s2: 'done', s3: 'done' });
  const runs = (await stack.client.listRuns({ limit: 1000 })).filter((run) =>
    run.runId.startsWith('survivor:'),
  );
  expect(runs.map((run) => run.runId).sort()).toEqual(['survivor:s1', 'survivor:s2', 'survivor:s3']);
  const turns = (
    await stack.client.temporal.workflow.getHandle('swarm/survivor').fetchHistory()
  ).events?.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'llmTurn');
  expect(turns).toHaveLength(3);
}, 120_000);
