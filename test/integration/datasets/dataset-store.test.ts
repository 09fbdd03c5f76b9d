import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetArgument } from '../../../activities/store/datasets/dataset-argument.ts';
import {
  UnknownDatasetError,
  UnknownDatasetVersionError,
} from '../../../activities/store/datasets/dataset-errors.ts';
import { DatasetStore } from '../../../activities/store/datasets/dataset-store.ts';
import { loadDatasetCases } from '../../../activities/store/datasets/load-dataset-cases.ts';
import { withTenant } from '../../../activities/store/tenant-scope.ts';
import type { Database } from '../../../schema/db/tables.ts';
import type { RunStatus } from '../../../schema/run.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { storeBackends } from '../store/backends.ts';

interface SeedRun {
  id: string;
  status?: RunStatus;
  version?: number;
  startedAt?: string;
  score?: number | null;
  feedback?: number[];
  liveScores?: number[];
  outputs?: Record<string, number> | null;
}

describe.each(storeBackends)('dataset store on $name', (backend) => {
  let database: { db: Kysely<Database>; drop(): Promise<void> };
  let db: Kysely<Database>;

  beforeAll(async () => {
    database = await backend.open();
    db = database.db;
  }, 120_000);
  afterAll(() => database?.drop());

  async function seedRuns(tenant: string, runs: SeedRun[]): Promise<void> {
    for (const run of runs) {
      await db
        .insertInto('runs')
        .values({
          run_id: run.id,
          tenant_id: tenant,
          routine_id: 'quote',
          routine_version: run.version ?? 1,
          process_id: 'main',
          workflow_id: `run/${run.id}`,
          status: run.status ?? 'completed',
          input: JSON.stringify({ item: run.id }),
          outputs: run.outputs === null ? null : JSON.stringify(run.outputs ?? { price: run.id.length }),
          started_at: new Date(run.startedAt ?? '2026-03-01T00:00:00Z'),
          score: run.score ?? null,
        })
        .execute();
      const scores = [
        ...(run.feedback ?? []).map((score) => ({ source: 'feedback' as const, score })),
        ...(run.liveScores ?? []).map((score) => ({ source: 'live' as const, score })),
      ];
      for (const [i, s] of scores.entries()) {
        await db
          .insertInto('run_scores')
          .values({
            id: `${run.id}/${s.source}/${i}`,
            tenant_id: tenant,
            run_id: run.id,
            routine_id: 'quote',
            routine_version: run.version ?? 1,
            source: s.source,
            name: s.source === 'feedback' ? 'thumbs' : 'schema',
            score: s.score,
          })
          .execute();
      }
    }
  }

  it('keeps every version as written: a JSONL version, then cases added by hand in a new one', async () => {
    const store = new DatasetStore(db, 't-versions');
    const first = await store.createFromJsonl(
      'orders',
      '{"input": {"qty": 1}, "expected": {"total": 10}, "tags": ["small"]}\n\n{"input": {"qty": 2}}\n',
      { file: 'orders.jsonl', description: 'order totals' },
    );
    expect(first).toEqual({ datasetId: 'orders', version: 1, caseCount: 2 });

    const second = await store.add('orders', [{ input: { qty: 3 }, expected: { total: 30 } }]);
    expect(second).toEqual({ datasetId: 'orders', version: 2, caseCount: 3 });

    const v1 = await loadDatasetCases(db, 't-versions', { dataset: 'orders', version: 1 });
    expect(v1).toEqual({
      datasetId: 'orders',
      version: 1,
      cases: [{ input: { qty: 1 }, expected: { total: 10 }, tags: ['small'] }, { input: { qty: 2 } }],
    });
    const latest = await loadDatasetCases(db, 't-versions', { dataset: 'orders' });
    expect(latest.version).toBe(2);
    expect(latest.cases.map((c) => c.input)).toEqual([{ qty: 1 }, { qty: 2 }, { qty: 3 }]);

    const versions = await store.versions('orders');
    expect(versions.map((v) => [v.version, v.origin, v.caseCount])).toEqual([
      [1, { kind: 'jsonl', file: 'orders.jsonl' }, 2],
      [2, { kind: 'manual' }, 3],
    ]);
    expect(await store.list()).toMatchObject([
      { datasetId: 'orders', description: 'order totals', latestVersion: 2, caseCount: 3 },
    ]);
    expect(await store.export('orders', { version: 1 })).toBe(
      '{"input":{"qty":1},"expected":{"total":10},"tags":["small"]}\n{"input":{"qty":2}}\n',
    );
  });

  it('names the line and field of a bad JSONL case and writes nothing', async () => {
    const store = new DatasetStore(db, 't-bad');
    const error = await store
      .createFromJsonl('bad', '{"input": {"a": 1}}\n{"input": "x"}\n{"expected": 1}\n')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      expect.stringMatching(/^line 2: input: /),
      expect.stringMatching(/^line 3: input: /),
    ]);
    expect(await store.list()).toEqual([]);
  });

  it('loads a --dataset argument: a stored name[@version], or a JSONL file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swarmflow-dataset-arg-'));
    try {
      const file = join(dir, 'cases.jsonl');
      await writeFile(file, '{"input":{"x":1},"expected":2}\n');
      expect(await loadDatasetArgument(db, 't-arg', file)).toEqual({
        kind: 'file',
        file,
        cases: [{ input: { x: 1 }, expected: 2 }],
      });
      await expect(loadDatasetArgument(db, 't-arg', file, { split: 'train' })).rejects.toThrow(
        /has no splits/,
      );
      await expect(loadDatasetArgument(db, 't-arg', join(dir, 'none.jsonl'))).rejects.toThrow(
        /cannot read .*ENOENT/,
      );
      const store = new DatasetStore(db, 't-arg');
      await store.create('arg', [{ input: { x: 1 } }], { kind: 'manual' });
      await store.add('arg', [{ input: { x: 2 } }]);
      expect(await loadDatasetArgument(db, 't-arg', 'arg@1')).toEqual({
        kind: 'dataset',
        datasetId: 'arg',
        version: 1,
        cases: [{ input: { x: 1 } }],
      });
      expect(await loadDatasetArgument(db, 't-arg', 'arg')).toMatchObject({ kind: 'dataset', version: 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown dataset or version, suggesting similar names', async () => {
    const store = new DatasetStore(db, 't-unknown');
    await store.create('invoices', [{ input: { a: 1 } }], { kind: 'manual' });
    await expect(loadDatasetCases(db, 't-unknown', { dataset: 'invoice' })).rejects.toThrow(
      new UnknownDatasetError('invoice', ['invoices']),
    );
    await expect(store.show('invoices', { version: 2 })).rejects.toBeInstanceOf(UnknownDatasetVersionError);
    await expect(store.add('nope', [{ input: {} }])).rejects.toBeInstanceOf(UnknownDatasetError);
  });

  it('builds cases from recorded runs by version, status, time, score and feedback', async () => {
    const tenant = 't-runs';
    await seedRuns(tenant, [
      { id: 'good-1', score: 0.9, feedback: [1] },
      { id: 'good-22', liveScores: [0.8, 1], startedAt: '2026-03-02T00:00:00Z' },
      { id: 'meh', score: 0.4, feedback: [0] },
      { id: 'failed', status: 'failed', outputs: null, score: 0.95 },
      { id: 'old', score: 1, startedAt: '2025-01-01T00:00:00Z' },
      { id: 'v2', version: 2, score: 1 },
    ]);
    await seedRuns('t-other', [{ id: 'elsewhere', score: 1 }]);
    const store = new DatasetStore(db, tenant);

    const good = await store.createFromRuns('good', {
      routineId: 'quote',
      version: 1,
      since: new Date('2026-01-01T00:00:00Z'),
      minScore: 0.85,
      outputsAsExpected: true,
    });
    expect(good.caseCount).toBe(2);
    const cases = await loadDatasetCases(db, tenant, { dataset: 'good' });
    expect(cases.cases).toEqual([
      { input: { item: 'good-1' }, expected: { price: 6 }, sourceRunId: 'good-1' },
      { input: { item: 'good-22' }, expected: { price: 7 }, sourceRunId: 'good-22' },
    ]);
    const [version] = await store.versions('good');
    expect(version?.origin).toMatchObject({
      kind: 'runs',
      filter: { routineId: 'quote', version: 1, minScore: 0.85, outputsAsExpected: true },
    });

    await store.createFromRuns('liked', { routineId: 'quote', minFeedback: 0.5 });
    expect((await loadDatasetCases(db, tenant, { dataset: 'liked' })).cases).toEqual([
      { input: { item: 'good-1' }, sourceRunId: 'good-1' },
    ]);
    await store.createFromRuns('unrated', { routineId: 'quote', hasFeedback: false, status: 'completed' });
    expect(
      (await loadDatasetCases(db, tenant, { dataset: 'unrated' })).cases.map((c) => c.sourceRunId),
    ).toEqual(['old', 'v2', 'good-22']);
    await store.createFromRuns('failures', {
      routineId: 'quote',
      status: 'failed',
      until: new Date('2026-04-01'),
    });
    expect((await loadDatasetCases(db, tenant, { dataset: 'failures' })).cases).toEqual([
      { input: { item: 'failed' }, sourceRunId: 'failed' },
    ]);

    await expect(
      store.createFromRuns('none', {
        routineId: 'quote',
        minScore: 0.99,
        version: 1,
        since: new Date('2026-01-01'),
      }),
    ).rejects.toThrow(/no recorded run of routine "quote" matches it/);
    await expect(
      store.createFromRuns('bad', { routineId: 'quote', status: 'failed', outputsAsExpected: true }),
    ).rejects.toThrow(/status: outputsAsExpected takes completed runs only/);
  });

  it('splits deterministically into disjoint train and validation sets, in a new version', async () => {
    const store = new DatasetStore(db, 't-split');
    const cases = Array.from({ length: 200 }, (_, i) => ({ input: { n: i } }));
    await store.create('many', cases, { kind: 'manual' });
    const split = await store.split('many', { validationShare: 0.2, seed: 's1' });
    expect(split).toMatchObject({ datasetId: 'many', version: 2, caseCount: 200 });
    expect(split.validation).toBeGreaterThan(20);
    expect(split.validation).toBeLessThan(60);
    expect(split.train + split.validation).toBe(200);

    const train = await loadDatasetCases(db, 't-split', { dataset: 'many', split: 'train' });
    const validation = await loadDatasetCases(db, 't-split', { dataset: 'many', split: 'validation' });
    const trainKeys = new Set(train.cases.map((c) => c.input.n));
    expect(validation.cases.some((c) => trainKeys.has(c.input.n))).toBe(false);
    expect(train.cases.length + validation.cases.length).toBe(200);

    // The same seed on the same cases gives the same split; version 1 stays unsplit.
    const again = await store.split('many', { validationShare: 0.2, seed: 's1', version: 1 });
    expect(again.version).toBe(3);
    const validation3 = await loadDatasetCases(db, 't-split', {
      dataset: 'many',
      version: 3,
      split: 'validation',
    });
    expect(validation3.cases).toEqual(validation.cases);
    expect((await store.show('many', { version: 1 })).cases.every((c) => c.split === null)).toBe(true);
    expect((await store.versions('many'))[2]?.origin).toEqual({
      kind: 'split',
      fromVersion: 1,
      validationShare: 0.2,
      seed: 's1',
    });
    const other = await store.split('many', { validationShare: 0.2, seed: 'another', version: 1 });
    const otherValidation = await loadDatasetCases(db, 't-split', {
      dataset: 'many',
      version: other.version,
      split: 'validation',
    });
    expect(otherValidation.cases).not.toEqual(validation.cases);
  });

  it("keeps tenants apart: under row-level security another tenant's dataset is unknown and unusable", async () => {
    await withTenant(db, 'tenant-a', (trx) =>
      new DatasetStore(trx, 'tenant-a').create('secret', [{ input: { pin: 1234 } }], { kind: 'manual' }),
    );
    // Tenant B, scoped by the database, even naming tenant A in its filters, sees nothing.
    await withTenant(db, 'tenant-b', async (trx) => {
      expect(await new DatasetStore(trx, 'tenant-b').list()).toEqual([]);
      expect(await new DatasetStore(trx, 'tenant-a').list()).toEqual([]);
      await expect(loadDatasetCases(trx, 'tenant-a', { dataset: 'secret' })).rejects.toBeInstanceOf(
        UnknownDatasetError,
      );
    });
    await expect(
      withTenant(db, 'tenant-b', (trx) => new DatasetStore(trx, 'tenant-b').add('secret', [{ input: {} }])),
    ).rejects.toBeInstanceOf(UnknownDatasetError);
    await expect(
      withTenant(db, 'tenant-b', (trx) =>
        new DatasetStore(trx, 'tenant-b').split('secret', { validationShare: 0.5 }),
      ),
    ).rejects.toBeInstanceOf(UnknownDatasetError);
    // B may own a dataset of the same name; each tenant reads its own.
    await withTenant(db, 'tenant-b', (trx) =>
      new DatasetStore(trx, 'tenant-b').create('secret', [{ input: { pin: 1 } }], { kind: 'manual' }),
    );
    const a = await withTenant(db, 'tenant-a', (trx) =>
      loadDatasetCases(trx, 'tenant-a', { dataset: 'secret' }),
    );
    expect(a.cases).toEqual([{ input: { pin: 1234 } }]);
    // The owner's connection, filtering by tenant, agrees.
    expect((await loadDatasetCases(db, 'tenant-b', { dataset: 'secret' })).cases).toEqual([
      { input: { pin: 1 } },
    ]);
  });
});
