import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

/**
 * `swarmflow routine generate` with a scripted model whose first answer does not compile, on a
 * throwaway stack (--embedded, the embedded defaults), and `swarmflow routine diff` on two
 * registered versions on the shared dev server.
 */

const cases = fileURLToPath(new URL('../../../examples/eval/order-total.cases.jsonl', import.meta.url));

const steps = (subtotal: string) => [
  { id: 'subtotal', expression: subtotal, resultVariable: 'subtotal' },
  {
    id: 'discount',
    expression: 'if quantity >= 10 then subtotal * 0.9 else subtotal',
    resultVariable: 'total',
  },
  { id: 'label', expression: 'if total >= 100 then "large" else "small"', resultVariable: 'label' },
];

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-generate-'));
  const turns = [
    // The fix answers only when the compiler's problem came back, naming the step.
    {
      match: 'was rejected[\\s\\S]*step "subtotal"',
      object: { id: 'x', body: { kind: 'sequence', steps: steps('quantity * unitPrice') } },
    },
    { object: { id: 'x', body: { kind: 'sequence', steps: steps('quantity * * unitPrice') } } },
  ];
  await writeFile(
    join(folder, 'swarmflow.config.json'),
    JSON.stringify({ models: { writer: { provider: 'scripted', turns } }, defaultModel: 'writer' }),
  );
});
afterAll(() => rm(folder, { recursive: true, force: true }));

// Each CLI start compiles TypeScript on the fly: give a loaded machine room.
describe('swarmflow routine generate and diff', { timeout: 240_000 }, () => {
  it('generates a routine, fixing a compile error, registers it as a draft and evaluates it', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'routine',
        'generate',
        '--goal',
        'Price an order line: quantity times unit price, 10% off from 10 items, and a size label',
        '--examples',
        cases,
        '--id',
        'order_total',
        '--embedded',
        '--json',
      ],
      { SWARMFLOW_CONFIG: join(folder, 'swarmflow.config.json'), SWARMFLOW_HOME: folder },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      id: 'order_total',
      version: 1,
      status: 'draft',
      created: true,
      attempts: 2,
    });
    expect(report.definition.body.steps[0].expression).toBe('quantity * unitPrice');
    expect(report.usage.inputTokens).toBeGreaterThan(0);
    expect(report.eval).toMatchObject({ score: 1, passed: 6, cases: 6 });
  });

  it('refuses a missing goal, naming the option', async () => {
    const { code, stderr } = await runCli(['routine', 'generate'], {});
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--goal is required/);
  });

  it('diffs two registered versions, as text and as JSON', async () => {
    const env = {
      SWARMFLOW_HOME: folder,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: inject('databaseUrl'),
      SWARMFLOW_TENANT: `diff-${process.pid}`,
    };
    const versions = [
      { id: 'priced', body: { kind: 'sequence', steps: steps('quantity * unitPrice') } },
      {
        id: 'priced',
        outputSchema: { type: 'object', required: ['total'] },
        body: { kind: 'sequence', steps: steps('quantity * unitPrice + 1').slice(0, 2) },
      },
    ];
    for (const [index, definition] of versions.entries()) {
      const file = join(folder, `priced-${index + 1}.json`);
      await writeFile(file, JSON.stringify(definition));
      const registered = await runCli(['routine', 'register', file], env);
      expect(registered.stdout).toBe(`registered priced version ${index + 1}\n`);
    }
    const text = await runCli(['routine', 'diff', 'priced', '1', '2'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^priced: version 1 \(sequence\) -> version 2 \(sequence\)$/m);
    expect(text.stdout).toMatch(
      /^ {2}outputSchema: \(none\) -> \{"type":"object","required":\["total"\]\}$/m,
    );
    expect(text.stdout).toMatch(/^ {2}~ subtotal \[expression\] changed$/m);
    expect(text.stdout).toMatch(/^ {6}expression: "quantity \* unitPrice" -> "quantity \* unitPrice \+ 1"$/m);
    expect(text.stdout).toMatch(/^ {2}- label \[expression\] removed$/m);
    expect(text.stdout).toMatch(/^--- priced@1$/m);

    const json = JSON.parse((await runCli(['routine', 'diff', 'priced', '1', '2', '--json'], env)).stdout);
    expect(json.steps.map((s: { id: string; change: string }) => `${s.change} ${s.id}`)).toEqual([
      'changed subtotal',
      'removed label',
    ]);

    const missing = await runCli(['routine', 'diff', 'priced', '1', '9'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/9/);
  });
});
