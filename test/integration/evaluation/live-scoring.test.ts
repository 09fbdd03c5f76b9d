import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSampledForLiveScoring } from '../../../activities/evaluation/live-sample.ts';
import { liveScoringWorkflowId, scheduleLiveScoring } from '../../../activities/evaluation/live-scoring.ts';
import { runWorkflowId, runWorkflowStart } from '../../../activities/runs/run-start.ts';
import { listRunScores, summarizeRunScores } from '../../../activities/store/run-scores.ts';
import type { SwarmflowClient } from '../../../client/sdk.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { doubling, liveScoringStarted } from './support.ts';

/**
 * Live scoring: a completed production run of a routine whose evaluation samples it is scored in
 * the background by the scorers that need no expected output; the scores land in run_scores and
 * their mean on the run's row.
 */

let stack: TestStack;
let client: SwarmflowClient;
const tenantId = `live-${randomUUID().slice(0, 8)}`;

const scorers = [
  // The output schema requires `note`, which the routine never sets: 0.
  { kind: 'jsonSchema' as const, name: 'shape' },
  // 1.
  { kind: 'feel' as const, name: 'sane', assert: '= output.doubled = input.amount * 2' },
  // Needs an expected output: never scores a live run.
  { kind: 'match' as const, name: 'exact' },
];

beforeAll(async () => {
  stack = await startTestStack({ tenantId });
  client = stack.client;
  await stack.startWorker();
});
afterAll(() => stack?.stop());

async function routineSampling(id: string, liveSample: number) {
  await client.registerRoutine({ ...doubling(id), evaluation: { scorers, liveSample } });
}

async function completedRun(routineId: string, runId: string = randomUUID()) {
  await client.startRun({ routineId, runId, input: { amount: 2 } });
  expect(await client.awaitRun(runId)).toMatchObject({ status: 'completed', outputs: { doubled: 4 } });
  return runId;
}

const scoringResult = (runId: string) =>
  client.temporal.workflow.getHandle(liveScoringWorkflowId(runId)).result() as Promise<number>;

describe('live scoring', () => {
  it('ratio 1 scores every production run by its live scorers, one row each, and their mean on the run', async () => {
    await routineSampling('live-all', 1);
    const runIds = [await completedRun('live-all'), await completedRun('live-all')];
    for (const runId of runIds) {
      expect(await scoringResult(runId)).toBe(2);
      const scores = await listRunScores(client.db, runId);
      expect(scores.map((s) => [s.source, s.name, s.score, s.givenBy])).toEqual(
        [
          ['live', 'sane', 1, null],
          ['live', 'shape', 0, null],
        ].sort(),
      );
      expect(scores.find((score) => score.name === 'shape')?.reason).toMatch(/does not conform.*note/);
      expect(scores[0]).toMatchObject({ routineId: 'live-all', routineVersion: 1 });
    }
    const listed = await client.listRuns({ routineId: 'live-all' });
    expect(listed.map((run) => run.score)).toEqual([0.5, 0.5]);
    expect(await summarizeRunScores(client.db, tenantId, { routineId: 'live-all' })).toEqual([
      { routineId: 'live-all', routineVersion: 1, source: 'live', count: 4, mean: 0.5 },
    ]);
    expect(await summarizeRunScores(client.db, 'another-tenant', { routineId: 'live-all' })).toEqual([]);
  });

  it('ratio 0 scores none, and a routine without an evaluation section neither', async () => {
    await routineSampling('live-none', 0);
    await client.registerRoutine(doubling('live-unevaluated'));
    const runIds = [await completedRun('live-none'), await completedRun('live-unevaluated')];
    for (const runId of runIds) {
      expect(await liveScoringStarted(client, runId)).toBe(false);
      expect(await listRunScores(client.db, runId)).toEqual([]);
    }
    expect((await client.listRuns({ routineId: 'live-none' }))[0]).not.toHaveProperty('score');
  });

  it('ratio 0.5 scores exactly the runs whose id hashes below it', async () => {
    await routineSampling('live-half', 0.5);
    const runIds = Array.from({ length: 12 }, (_, i) => `live-half-${i}`);
    const expected = runIds.filter((id) => isSampledForLiveScoring(id, 0.5));
    // The ids are fixed, so the subset is too: some in, some out.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(runIds.length);
    await Promise.all(runIds.map((runId) => completedRun('live-half', runId)));
    const started = [];
    for (const runId of runIds) if (await liveScoringStarted(client, runId)) started.push(runId);
    expect(started).toEqual(expected);
    for (const runId of expected) await scoringResult(runId);
    const scored = (await client.listRuns({ routineId: 'live-half' })).filter(
      (run) => run.score !== undefined,
    );
    expect(scored.map((run) => run.runId).sort()).toEqual([...expected].sort());
  });

  it("an eval's runs and failed runs are not live-scored", async () => {
    await routineSampling('live-eval', 1);
    const routine = await client.getRoutine('live-eval');
    const graph = routine.compiled.processes[routine.compiled.defaultProcessId];
    if (!graph) throw new Error('no default process');
    const runId = randomUUID();
    const { workflowType, args, ...options } = runWorkflowStart(routine, graph, {
      workflowId: runWorkflowId(runId),
      taskQueue: stack.config.taskQueue,
      variables: { amount: 1 },
      runId,
    });
    await client.temporal.workflow.execute(workflowType, {
      ...options,
      args: [{ ...args[0], evalId: 'eval-1' }],
    });
    expect(await liveScoringStarted(client, runId)).toBe(false);

    const failed = await scheduleLiveScoring(
      { db: client.db, temporal: client.temporal, taskQueue: stack.config.taskQueue },
      { runId, status: 'failed', outputs: {}, trace: [] },
    );
    expect(failed).toBe(false);
  });

  it('a retried start or write adds nothing', async () => {
    await routineSampling('live-retry', 1);
    const runId = await completedRun('live-retry');
    await scoringResult(runId);
    const dependencies = { db: client.db, temporal: client.temporal, taskQueue: stack.config.taskQueue };
    // The read model's activity retried after it started the scoring: it finds it started.
    const ending = { runId, status: 'completed' as const, outputs: { amount: 2, doubled: 4 }, trace: [] };
    expect(await scheduleLiveScoring(dependencies, ending)).toBe(true);
    const scores = await listRunScores(client.db, runId);
    expect(scores).toHaveLength(2);
    const { count } = await client.temporal.workflow.count(`WorkflowId = '${liveScoringWorkflowId(runId)}'`);
    expect(count).toBe(1);
  });
});
