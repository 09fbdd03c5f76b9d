import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { stackEnv } from '../../support/stack-env.ts';
import { priceRoutine } from './price-routine.ts';

/**
 * `swarmflow eval run|compare|list|show` as a user runs them against a real stack, and the HTML
 * report loaded in a real headless browser (Debian's chromium, installed when missing).
 */

const ensureChromium = fileURLToPath(new URL('../../../scripts/ensure-chromium.sh', import.meta.url));

let stack: TestStack;
let folder: string;
let chromium: string;
let env: Record<string, string>;

const cases = [
  { input: { quantity: 2, unitPrice: 5, name: 'a' }, expected: { total: 10, label: 'A' } },
  { input: { quantity: 3, unitPrice: 4, name: 'b' }, expected: { total: 12, label: 'X' } },
  { input: { quantity: 1, unitPrice: 1, name: 'c' }, expected: { total: 99, label: 'Z' } },
  { input: { quantity: 5, unitPrice: 2, name: 'd' }, expected: { total: 10, label: 'D' } },
];

beforeAll(async () => {
  const installed = promisify(execFile)('bash', [ensureChromium], { timeout: 170_000 });
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-eval-cli-'));
  stack = await startTestStack();
  await stack.startWorker();
  env = stackEnv(stack.config);
  await stack.client.registerRoutine(priceRoutine('cli-price'));
  await writeFile(join(folder, 'cases.jsonl'), `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`);
  chromium = (await installed).stdout.trim();
});
afterAll(async () => {
  await stack?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** The page's DOM as the browser built it. */
async function browserDom(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', pathToFileURL(file).href],
    { timeout: 60_000, maxBuffer: 10_000_000 },
  );
  return stdout;
}

describe('swarmflow eval run', () => {
  it('prints the eval as one JSON object and writes a report the browser shows with its charts', async () => {
    const report = join(folder, 'report.html');
    const dataset = join(folder, 'cases.jsonl');
    const { code, stdout, stderr } = await runCli(
      ['eval', 'run', 'cli-price@1', '--dataset', dataset, '--concurrency', '2', '--json', '--html', report],
      env,
    );
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result).sort()).toEqual(
      ['cases', 'evalId', 'latencyMs', 'routineId', 'score', 'usage', 'version'].sort(),
    );
    expect(result).toMatchObject({ routineId: 'cli-price', version: 1, score: 0.625 });
    expect(Object.keys(result.cases[0]).sort()).toEqual(
      ['expected', 'input', 'output', 'passed', 'reasons', 'score'].sort(),
    );
    expect(Object.keys(result.latencyMs).sort()).toEqual(['p50', 'p95']);

    const dom = await browserDom(report);
    const bars = [...dom.matchAll(/<rect class="bar" data-bin="(\d)" data-count="(\d+)"/g)];
    expect(bars.map((bar) => Number(bar[2]))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(dom).toMatch(/<svg id="score-histogram"/);
    expect(dom).toMatch(
      new RegExp(
        `<svg id="score-vs-cost"[\\s\\S]*<circle class="point current" data-version="1" data-eval="${result.evalId}"`,
      ),
    );
    const worst = dom.slice(dom.indexOf('<table id="worst-cases"'));
    const rows = [...worst.matchAll(/<tr data-case="(\d+)">/g)].map((row) => Number(row[1]));
    expect(rows).toEqual([3, 2, 1, 4]);
    expect(worst).toContain('1 of 2 expected fields match; differing: label');
  });

  it('runs over a stored dataset named with its version', async () => {
    const dataset = join(folder, 'cases.jsonl');
    const created = await runCli(['datasets', 'create', 'cli-cases', '--from-file', dataset, '--json'], env);
    expect(created.code).toBe(0);
    const { code, stdout } = await runCli(
      ['eval', 'run', 'cli-price@1', '--dataset', 'cli-cases@1', '--json'],
      env,
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ routineId: 'cli-price', version: 1, score: 0.625 });
    expect(result.cases.map((c: { expected: unknown }) => c.expected)).toEqual(cases.map((c) => c.expected));
    const missing = await runCli(['eval', 'run', 'cli-price', '--dataset', 'cli-cases@9', '--json'], env);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ type: 'UnknownDatasetVersionError' });
  });

  it('runs the example routine file over its cases on a throwaway stack with --embedded', async () => {
    const example = (name: string) =>
      fileURLToPath(new URL(`../../../examples/eval/${name}`, import.meta.url));
    const { code, stdout } = await runCli(
      [
        'eval',
        'run',
        example('order-total.json'),
        '--dataset',
        example('order-total.cases.jsonl'),
        '--embedded',
        '--json',
      ],
      {},
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ routineId: 'order_total', version: 1, score: 1 });
    expect(result.cases).toHaveLength(6);
    expect(result.cases.every((c: { passed: boolean }) => c.passed)).toBe(true);
    expect(result.cases[2].reasons.map((r: { name: string }) => r.name)).toEqual([
      'shape',
      'total',
      'label',
      'never_above_list_price',
    ]);
  });

  it('prints an error object when the eval cannot run', async () => {
    const dataset = join(folder, 'cases.jsonl');
    const { code, stdout } = await runCli(
      ['eval', 'run', 'no-such-routine', '--dataset', dataset, '--json'],
      env,
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      routineId: 'no-such-routine',
      error: { type: 'UnknownRoutineError', message: expect.stringContaining('no-such-routine') },
    });
  });

  it('names the line of a case file that is no case', async () => {
    const dataset = join(folder, 'bad.jsonl');
    await writeFile(dataset, '{"input":{}}\n{"expected":1}\n');
    const { code, stdout } = await runCli(['eval', 'run', 'cli-price', '--dataset', dataset, '--json'], env);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error.message).toMatch(/bad\.jsonl[\s\S]*line 2: input: /);
  });
});

describe('swarmflow eval compare, list and show', () => {
  it('compare the latest evals of two versions, and list and show stored evals', async () => {
    await stack.client.registerRoutine(
      priceRoutine('cli-price', { extra: [{ id: 'extra', expression: '1' }] }),
    );
    const dataset = join(folder, 'cases.jsonl');
    const second = await runCli(['eval', 'run', 'cli-price@2', '--dataset', dataset, '--json'], env);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 2, score: 0.625 });
    const compared = await runCli(['eval', 'compare', 'cli-price', '1', '2', '--json'], env);
    expect(JSON.parse(compared.stdout)).toMatchObject({
      method: 'paired-t',
      pairs: 4,
      difference: 0,
      confidence: { level: 0.95, low: 0, high: 0 },
      significant: false,
    });
    const listed = JSON.parse(
      (await runCli(['eval', 'list', '--routine', 'cli-price', '--json'], env)).stdout,
    );
    // Newest first: this test's eval of version 2, then the two of version 1 (over the file, over the stored dataset).
    expect(listed.map((item: { version: number }) => item.version)).toEqual([2, 1, 1]);
    const shown = await runCli(['eval', 'show', listed[0].evalId], env);
    expect(shown.stdout).toMatch(/cli-price@2 completed, score 0\.625, passed 2\/4/);
  });
});
