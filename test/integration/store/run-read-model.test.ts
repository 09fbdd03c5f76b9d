import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getRun,
  listRuns,
  listSteps,
  type RunStart,
  recordRunEnded,
  recordRunStarted,
  recordStep,
  type StepRecordInput,
} from '../../../activities/store/run-read-model.ts';
import { storeBackends } from './backends.ts';

const runStart = (runId: string, overrides: Partial<RunStart> = {}): RunStart => ({
  runId,
  tenantId: 'default',
  routineId: 'order',
  routineVersion: 1,
  processId: 'main',
  workflowId: `run/${runId}`,
  input: { orderId: 42, items: ['a', 'b'], nested: { ok: true } },
  ...overrides,
});

const step = (runId: string, overrides: Partial<StepRecordInput> = {}): StepRecordInput => ({
  runId,
  stepKey: 'fetch#1',
  tenantId: 'default',
  elementId: 'fetch',
  elementType: 'serviceTask',
  status: 'failed',
  attempt: 1,
  startedAt: new Date('2026-01-01T00:00:00Z'),
  endedAt: new Date('2026-01-01T00:00:01Z'),
  durationMs: 1000,
  error: 'timeout',
  ...overrides,
});

describe.each(storeBackends)('run read model on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.open>>;

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database?.drop());

  it('records a start once and an end with outputs and trace', async () => {
    const { db } = database;
    await recordRunStarted(db, runStart('r1'));
    await recordRunStarted(db, runStart('r1', { routineVersion: 99 }));
    expect(await getRun(db, 'r1')).toMatchObject({
      status: 'running',
      routineVersion: 1,
      input: runStart('r1').input,
      outputs: null,
      trace: null,
      endedAt: null,
    });

    const trace = [{ elementId: 'start', type: 'startEvent', status: 'completed' as const }];
    await recordRunEnded(db, {
      runId: 'r1',
      status: 'completed',
      outputs: { total: 3, list: [1, 2] },
      trace,
    });
    const ended = await getRun(db, 'r1');
    expect(ended).toMatchObject({
      status: 'completed',
      outputs: { total: 3, list: [1, 2] },
      trace,
      error: null,
    });
    expect(ended?.endedAt).toBeInstanceOf(Date);

    await recordRunEnded(db, {
      runId: 'r1',
      status: 'completed',
      outputs: { total: 3, list: [1, 2] },
      trace,
    });
    await recordRunStarted(db, runStart('r1'));
    const repeated = await getRun(db, 'r1');
    expect(repeated?.status).toBe('completed');
    expect(repeated?.endedAt).toEqual(ended?.endedAt);
  });

  it('refuses to end a run it never saw start', async () => {
    await expect(
      recordRunEnded(database.db, { runId: 'ghost', status: 'failed', outputs: {}, trace: [] }),
    ).rejects.toThrow('no run "ghost" in the read model');
    expect(await getRun(database.db, 'ghost')).toBeUndefined();
  });

  it('keeps one row per step key, holding the latest attempt', async () => {
    const { db } = database;
    await recordRunStarted(db, runStart('r2'));
    await recordStep(db, step('r2'));
    await recordStep(db, step('r2'));
    expect(await listSteps(db, 'r2')).toHaveLength(1);

    const succeeded = step('r2', {
      status: 'completed',
      attempt: 2,
      output: { rows: [1, 2] },
      error: undefined,
    });
    await recordStep(db, succeeded);
    await recordStep(db, step('r2', { attempt: 1 }));
    await recordStep(
      db,
      step('r2', { stepKey: 'ship#1', elementId: 'ship', startedAt: new Date('2026-01-01T00:00:02Z') }),
    );

    const steps = await listSteps(db, 'r2');
    expect(steps.map((s) => s.stepKey)).toEqual(['fetch#1', 'ship#1']);
    expect(steps[0]).toEqual({ ...succeeded, output: { rows: [1, 2] }, error: null });
  });

  it("keeps an LLM step's strategy, model and how it asked for its output schema", async () => {
    const { db } = database;
    await recordRunStarted(db, runStart('r-llm'));
    const llm = {
      strategy: 'conversational' as const,
      reason: 'auto',
      model: 'fallback',
      structuredOutput: 'tool' as const,
      turns: 1,
      toolCalls: 0,
    };
    await recordStep(db, step('r-llm', { status: 'completed', error: undefined, llm }));
    expect((await listSteps(db, 'r-llm'))[0]?.llm).toEqual(llm);
  });

  it('lists a tenant runs, newest first, filtered by routine and status', async () => {
    const { db } = database;
    for (const [runId, routineId] of [
      ['l1', 'a'],
      ['l2', 'b'],
      ['l3', 'a'],
    ] as const) {
      await recordRunStarted(db, runStart(runId, { tenantId: 'listing', routineId }));
    }
    await recordRunStarted(db, runStart('other-tenant', { tenantId: 'elsewhere' }));
    await recordRunEnded(db, { runId: 'l3', status: 'failed', outputs: {}, trace: [], error: 'boom' });

    const all = await listRuns(db, 'listing');
    expect(all.map((run) => run.runId).sort()).toEqual(['l1', 'l2', 'l3']);
    expect(all.map((run) => run.startedAt.getTime())).toEqual(
      all.map((run) => run.startedAt.getTime()).sort((a, b) => b - a),
    );
    expect((await listRuns(db, 'listing', { routineId: 'a' })).map((run) => run.runId).sort()).toEqual([
      'l1',
      'l3',
    ]);
    expect(await listRuns(db, 'listing', { status: 'failed' })).toEqual([
      expect.objectContaining({ runId: 'l3', routineId: 'a', status: 'failed', error: 'boom' }),
    ]);
    expect(await listRuns(db, 'listing', { limit: 2 })).toHaveLength(2);
  });
});
