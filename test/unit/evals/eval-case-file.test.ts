import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvalCasesFile } from '../../../client/eval-case-file.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'swarmflow-cases-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

describe('a JSONL file of eval cases', () => {
  it('gives one case per non-blank line', async () => {
    const path = await file(
      'ok.jsonl',
      '{"input":{"a":1},"expected":{"b":2}}\n\n{"input":{},"sourceRunId":"r1"}\n',
    );
    expect(await readEvalCasesFile(path)).toEqual([
      { input: { a: 1 }, expected: { b: 2 } },
      { input: {}, sourceRunId: 'r1' },
    ]);
  });

  it('names the lines that are not JSON or not a case', async () => {
    const path = await file('bad.jsonl', '{"input":{}}\n{oops\n{"expected":1}\n');
    await expect(readEvalCasesFile(path)).rejects.toThrow(/line 2: not valid JSON/);
    await expect(readEvalCasesFile(path)).rejects.toThrow(/line 3: "input"/);
  });

  it('refuses a file without cases', async () => {
    await expect(readEvalCasesFile(await file('empty.jsonl', '\n'))).rejects.toThrow(/no cases/);
  });
});
