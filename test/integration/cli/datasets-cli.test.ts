import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetCases } from '../../../activities/store/datasets/load-dataset-cases.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let dir: string;
const env = () => ({ DATABASE_URL: database.url, SWARMFLOW_TENANT: 'acme' });

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'swarmflow-datasets-'));
  for (const [i, score] of [0.9, 0.2].entries()) {
    await database.db
      .insertInto('runs')
      .values({
        run_id: `quote-${i}`,
        tenant_id: 'acme',
        routine_id: 'quote',
        routine_version: 1,
        process_id: 'main',
        workflow_id: `run/quote-${i}`,
        status: 'completed',
        input: JSON.stringify({ qty: i + 1 }),
        outputs: JSON.stringify({ total: (i + 1) * 10 }),
        started_at: new Date(Date.UTC(2026, 2, 1 + i)),
        score,
      })
      .execute();
  }
}, 120_000);
afterAll(async () => {
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Each CLI start compiles TypeScript on the fly: give a loaded machine room.
describe('swarmflow datasets', { timeout: 240_000 }, () => {
  it('creates from a JSONL file, adds a case, splits, shows and exports, each change a new version', async () => {
    const file = join(dir, 'orders.jsonl');
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({ input: { n: i }, expected: { double: 2 * i } }),
    );
    await writeFile(file, `${lines.join('\n')}\n`);

    const created = await runCli(['datasets', 'create', 'orders', '--from-file', file, '--json'], env());
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toEqual({ datasetId: 'orders', version: 1, caseCount: 20 });

    const added = await runCli(
      ['datasets', 'add', 'orders', '--input', '{"n": 99}', '--expected', '{"double": 198}'],
      env(),
    );
    expect(added.stdout).toBe('dataset orders@2: 21 cases\n');

    const split = await runCli(
      ['datasets', 'split', 'orders', '--validation', '0.25', '--seed', 'abc', '--json'],
      env(),
    );
    const splitResult = JSON.parse(split.stdout) as { version: number; train: number; validation: number };
    expect(splitResult).toMatchObject({ datasetId: 'orders', version: 3, caseCount: 21 });
    expect(splitResult.train + splitResult.validation).toBe(21);
    expect(splitResult.validation).toBeGreaterThan(0);

    const shown = await runCli(['datasets', 'show', 'orders@3', '--split', 'validation', '--json'], env());
    const version = JSON.parse(shown.stdout) as {
      version: number;
      origin: unknown;
      cases: { split: string }[];
    };
    expect(version.version).toBe(3);
    expect(version.origin).toEqual({ kind: 'split', fromVersion: 2, validationShare: 0.25, seed: 'abc' });
    expect(version.cases).toHaveLength(splitResult.validation);
    expect(version.cases.every((c) => c.split === 'validation')).toBe(true);
    const stored = await loadDatasetCases(database.db, 'acme', { dataset: 'orders', split: 'validation' });
    expect(version.cases.map(({ split: _s, ordinal: _o, ...c }: Record<string, unknown>) => c)).toEqual(
      stored.cases,
    );

    const table = await runCli(['datasets', 'show', 'orders@1'], env());
    expect(table.stdout.split('\n')[0]).toMatch(
      /^dataset orders@1 \(from .*orders\.jsonl\), 20 of 20 cases$/,
    );
    expect(table.stdout).toMatch(/^#\s+SPLIT\s+INPUT\s+EXPECTED/m);

    const exported = await runCli(['datasets', 'export', 'orders@1'], env());
    expect(exported.stdout).toBe(`${lines.join('\n')}\n`);

    const listed = await runCli(['datasets', 'list'], env());
    expect(listed.stdout).toMatch(/^orders\s+3\s+21/m);
    // Another tenant has none.
    const other = await runCli(['datasets', 'list', '--json'], { ...env(), SWARMFLOW_TENANT: 'globex' });
    expect(JSON.parse(other.stdout)).toEqual({ datasets: [] });
  });

  it('creates from recorded runs with a score filter, outputs as expected', async () => {
    const created = await runCli(
      [
        'datasets',
        'create',
        'good-quotes',
        '--from-runs',
        'quote',
        '--min-score',
        '0.5',
        '--outputs-as-expected',
      ],
      env(),
    );
    expect(created.stdout).toBe('dataset good-quotes@1: 1 cases\n');
    const exported = await runCli(['datasets', 'export', 'good-quotes'], env());
    expect(exported.stdout).toBe('{"input":{"qty":1},"expected":{"total":10},"sourceRunId":"quote-0"}\n');
  });

  it('names the bad line and field of a file, and a bad flag', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"input": {"a": 1}}\n{"input": [1]}\n');
    const bad = await runCli(['datasets', 'create', 'bad', '--from-file', file], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/line 2: input: /);

    const share = await runCli(['datasets', 'split', 'orders', '--validation', '1.5'], env());
    expect(share.code).toBe(1);
    expect(share.stderr).toMatch(/--validation value/);

    const unknown = await runCli(['datasets', 'show', 'order'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no dataset "order"; did you mean "orders"\?/);

    const both = await runCli(['datasets', 'create', 'x', '--from-file', file, '--min-score', '0.5'], env());
    expect(both.stderr).toMatch(/--min-score: filters of --from-runs/);
  });
});
