import { describe, expect, it } from 'vitest';
import { parseDatasetRef } from '../../../schema/dataset.ts';
import { formatDatasetJsonl, parseDatasetJsonl } from '../../../schema/dataset-jsonl.ts';
import { splitOfCase } from '../../../schema/dataset-split.ts';
import { ValidationError } from '../../../schema/validation.ts';

const problems = (text: string) => {
  try {
    parseDatasetJsonl(text);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('parsed');
};

describe('parseDatasetJsonl', () => {
  it('reads one case a line, skipping blank lines, and writes them back the same', () => {
    const text =
      '{"input":{"q":"2+2"},"expected":4,"tags":["math"]}\r\n\n  \n{"input":{"q":"hi"},"sourceRunId":"run-1"}\n';
    const cases = parseDatasetJsonl(text);
    expect(cases).toEqual([
      { input: { q: '2+2' }, expected: 4, tags: ['math'] },
      { input: { q: 'hi' }, sourceRunId: 'run-1' },
    ]);
    expect(formatDatasetJsonl(cases)).toBe(
      '{"input":{"q":"2+2"},"expected":4,"tags":["math"]}\n{"input":{"q":"hi"},"sourceRunId":"run-1"}\n',
    );
  });

  it('names every bad line by number and field', () => {
    expect(
      problems('{"input":{}}\n{"input": 3}\nnot json\n{"input":{},"tags":[""]}\n{"input":{},"extra":1}\n'),
    ).toEqual([
      expect.stringMatching(/^line 2: input: .*expected record/),
      expect.stringMatching(/^line 3: not JSON \(/),
      expect.stringMatching(/^line 4: tags\.0: /),
      expect.stringMatching(/^line 5: \(the line\): .*"extra"/),
    ]);
  });

  it('refuses a text with no cases', () => {
    expect(problems('\n\n')).toEqual([expect.stringMatching(/^no cases: /)]);
  });
});

describe('parseDatasetRef', () => {
  it('reads name and name@version', () => {
    expect(parseDatasetRef('orders')).toEqual({ dataset: 'orders' });
    expect(parseDatasetRef('orders.v2@12')).toEqual({ dataset: 'orders.v2', version: 12 });
    expect(() => parseDatasetRef('orders@latest')).toThrow(
      /after "@" comes a version number, e\.g\. orders@2/,
    );
    expect(() => parseDatasetRef('@3')).toThrow(ValidationError);
  });
});

describe('splitOfCase', () => {
  const cases = Array.from({ length: 1000 }, (_, i) => ({ input: { n: i, text: `case ${i}` } }));

  it('sends about the share to validation, the same way every time and whatever the key order', () => {
    const splits = cases.map((c) => splitOfCase(c, 0.2, 'seed'));
    const validation = splits.filter((s) => s === 'validation').length;
    expect(validation).toBeGreaterThan(150);
    expect(validation).toBeLessThan(250);
    expect(cases.map((c) => splitOfCase(c, 0.2, 'seed'))).toEqual(splits);
    expect(splitOfCase({ input: { text: 'case 7', n: 7 } }, 0.2, 'seed')).toBe(splits[7]);
  });

  it('splits otherwise with another seed, and a larger share keeps every validation case', () => {
    const a = cases.map((c) => splitOfCase(c, 0.2, 'a'));
    expect(cases.map((c) => splitOfCase(c, 0.2, 'b'))).not.toEqual(a);
    const wider = cases.map((c) => splitOfCase(c, 0.5, 'a'));
    expect(a.every((split, i) => split === 'train' || wider[i] === 'validation')).toBe(true);
  });
});
