import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { seedInsights } from '../insights/insights-seed.ts';

let database: TestDatabase;
const env = () => ({ DATABASE_URL: database.url, SWARMFLOW_TENANT: 'acme' });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedInsights(database.db, 'acme');
}, 120_000);
afterAll(() => database?.drop());

// Each CLI start compiles TypeScript on the fly: give a loaded machine room.
describe('swarmflow insights', { timeout: 240_000 }, () => {
  it('prints the report as tables, and as one JSON object with --json', async () => {
    const text = await runCli(['insights', 'quote'], env());
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^routine quote: 9 runs, 3 failed$/m);
    expect(text.stdout).toMatch(/^charge\s+2\s+card <n> declined\s+q5 q6/m);
    expect(text.stdout).toMatch(/^\(run\)\s+latencyMs\s+60000\s+\S+\s+q7=600000\s+1\/9$/m);
    expect(text.stdout).toMatch(/^price\s+credits\s+0\.01\s+\S+\s+q4=0\.5\s+1\/8$/m);
    expect(text.stdout).toMatch(/^price\s+conversational\s+8\s+2\s+2\s+2$/m);
    expect(text.stdout).toMatch(/^quote\s+order\s+1\s+2\s+2\s+price,sku$/m);

    const json = await runCli(['insights', 'quote', '--json', '--since', '2026-01-01T00:55:00Z'], env());
    const report = JSON.parse(json.stdout) as {
      runs: number;
      since: string;
      failureClusters: { elementId: string }[];
    };
    expect(report.runs).toBe(3);
    expect(report.since).toBe('2026-01-01T00:55:00.000Z');
    expect(report.failureClusters.map((c) => c.elementId)).toEqual(['(run)', 'charge']);

    const bad = await runCli(['insights', 'quote', '--since', 'yesterday'], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--since value/);
  });
});
