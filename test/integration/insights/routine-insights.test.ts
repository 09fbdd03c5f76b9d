import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routineInsights } from '../../../activities/insights/routine-insights.ts';
import { withTenant } from '../../../activities/store/tenant-scope.ts';
import type { Database } from '../../../schema/db/tables.ts';
import { storeBackends } from '../store/backends.ts';
import { minute, seedInsights } from './insights-seed.ts';

describe.each(storeBackends)('routine insights over the read models on $name', (backend) => {
  let database: { db: Kysely<Database>; drop(): Promise<void> };

  beforeAll(async () => {
    database = await backend.open();
    await seedInsights(database.db, 'acme');
    // Another tenant's runs of a routine of the same name, failing otherwise: never counted for acme.
    await database.db
      .insertInto('runs')
      .values({
        run_id: 'globex-1',
        tenant_id: 'globex',
        routine_id: 'quote',
        routine_version: 1,
        process_id: 'main',
        workflow_id: 'run/globex-1',
        status: 'failed',
        error: 'globex only',
        input: '{}',
        started_at: minute(5),
        ended_at: minute(6),
      })
      .execute();
  }, 120_000);
  afterAll(() => database?.drop());

  it('clusters failures, finds outliers, deterministic LLM steps and routines to combine', async () => {
    const report = await withTenant(database.db, 'acme', (trx) => routineInsights(trx, 'acme', 'quote'));
    expect(report).toMatchObject({ routineId: 'quote', since: null, runs: 9, failedRuns: 3 });
    expect(report.failureClusters).toEqual([
      {
        elementId: 'charge',
        error: 'card <n> declined',
        count: 2,
        runIds: ['q5', 'q6'],
        firstAt: minute(50),
        lastAt: minute(60),
      },
      {
        elementId: '(run)',
        error: 'timeout after <n>s',
        count: 1,
        runIds: ['q8'],
        firstAt: minute(81),
        lastAt: minute(81),
      },
    ]);
    expect(
      report.outliers.map((g) => ({
        element: g.elementId,
        metric: g.metric,
        median: g.median,
        samples: g.samples,
        outliers: g.outliers,
      })),
    ).toEqual([
      {
        element: '(run)',
        metric: 'latencyMs',
        median: 60_000,
        samples: 9,
        outliers: [{ runId: 'q7', value: 600_000 }],
      },
      {
        element: 'price',
        metric: 'latencyMs',
        median: 1000,
        samples: 8,
        outliers: [{ runId: 'q3', value: 9000 }],
      },
      {
        element: 'price',
        metric: 'credits',
        median: 0.01,
        samples: 8,
        outliers: [{ runId: 'q4', value: 0.5 }],
      },
    ]);
    // "price" by its run's input (no fingerprint recorded), "classify" by its own input's fingerprint:
    // runs of one sku gave it both outputs, so only the step's own input shows it deterministic.
    expect(report.deterministicCandidates).toHaveLength(2);
    expect(report.deterministicCandidates).toContainEqual({
      elementId: 'price',
      strategies: ['conversational'],
      runs: 8,
      distinctInputs: 2,
      repeatedInputs: 2,
      distinctOutputs: 2,
      exampleOutput: { label: 'A' },
    });
    expect(report.deterministicCandidates).toContainEqual({
      elementId: 'classify',
      strategies: ['conversational'],
      runs: 8,
      distinctInputs: 2,
      repeatedInputs: 2,
      distinctOutputs: 2,
      exampleOutput: { kind: 'one' },
    });
    expect(report.chainCandidates).toEqual([
      {
        before: 'quote',
        after: 'order',
        inSwarms: 1,
        backToBack: 2,
        chainedInputs: 2,
        coveredFields: ['price', 'sku'],
      },
    ]);
    expect(report.notes).toEqual([
      expect.stringMatching(/no input fingerprint: for them the run's input stands in/),
    ]);
  });

  it('reads only runs since a time, and nothing of another tenant', async () => {
    const recent = await routineInsights(database.db, 'acme', 'quote', { since: minute(55) });
    expect(recent.runs).toBe(3);
    expect(recent.failureClusters.map((c) => [c.elementId, c.runIds])).toEqual([
      ['(run)', ['q8']],
      ['charge', ['q6']],
    ]);
    const globex = await withTenant(database.db, 'globex', (trx) => routineInsights(trx, 'globex', 'quote'));
    expect(globex).toMatchObject({
      runs: 1,
      failedRuns: 1,
      chainCandidates: [],
      deterministicCandidates: [],
    });
    expect(globex.failureClusters.map((c) => c.error)).toEqual(['globex only']);
  });
});
