import { describe, expect, it } from 'vitest';
import { findDeterministicSteps } from '../../../activities/insights/deterministic-steps.ts';
import { clusterFailures, normaliseError } from '../../../activities/insights/failure-clusters.ts';
import { findOutliers, median } from '../../../activities/insights/outliers.ts';
import {
  coverage,
  findRoutineChains,
  type RecordedRun,
} from '../../../activities/insights/routine-chains.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('failure clusters', () => {
  it('masks what varies between failures of one cause', () => {
    expect(
      normaliseError(
        'HTTP 503 from "https://x/api" after 3 tries (request 3f2b8c1e-1111-4222-8333-444455556666 at 2026-01-01T10:00:00Z)',
      ),
    ).toBe('HTTP <n> from "…" after <n> tries (request <id> at <time>)');
    expect(normaliseError('key  deadbeef00112233 \n missing')).toBe('key <id> missing');
    expect(normaliseError('v2 took 30s, -1.5 left')).toBe('v2 took <n>s, <n> left');
  });

  it('groups by element and normalised error, largest first, with the first runs as examples', () => {
    const clusters = clusterFailures(
      [
        { runId: 'r4', elementId: 'charge', error: 'card 4242 declined', at: at(4) },
        { runId: 'r1', elementId: 'charge', error: 'card 1111 declined', at: at(1) },
        { runId: 'r2', elementId: 'charge', error: 'timeout after <n>s', at: at(2) },
        { runId: 'r3', elementId: 'ship', error: 'card 1 declined', at: at(3) },
        { runId: 'r5', elementId: 'charge', error: 'card 9 declined', at: at(5) },
        { runId: 'r6', elementId: 'charge', error: 'card 8 declined', at: at(6) },
      ],
      3,
    );
    expect(clusters).toEqual([
      {
        elementId: 'charge',
        error: 'card <n> declined',
        count: 4,
        runIds: ['r1', 'r4', 'r5'],
        firstAt: at(1),
        lastAt: at(6),
      },
      {
        elementId: 'charge',
        error: 'timeout after <n>s',
        count: 1,
        runIds: ['r2'],
        firstAt: at(2),
        lastAt: at(2),
      },
      {
        elementId: 'ship',
        error: 'card <n> declined',
        count: 1,
        runIds: ['r3'],
        firstAt: at(3),
        lastAt: at(3),
      },
    ]);
  });
});

describe('outliers', () => {
  it('takes the median and the median absolute deviation', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('lists the samples above median + 3 MAD, per element, largest first', () => {
    const values = [100, 110, 90, 105, 95, 100, 400, 1000];
    const samples = values.map((value, i) => ({ runId: `r${i}`, elementId: 'llm', value }));
    samples.push(...[1, 1, 1].map((value, i) => ({ runId: `s${i}`, elementId: 'few', value: value * 1000 })));
    const [group, ...rest] = findOutliers(samples, 'latencyMs');
    expect(rest).toEqual([]);
    // median 102.5; deviations 2.5 7.5 12.5 2.5 7.5 2.5 297.5 897.5 → MAD 7.5; threshold 125.
    expect(group).toEqual({
      elementId: 'llm',
      metric: 'latencyMs',
      samples: 8,
      median: 102.5,
      mad: 7.5,
      threshold: 125,
      outliers: [
        { runId: 'r7', value: 1000 },
        { runId: 'r6', value: 400 },
      ],
    });
  });

  it('floors the deviation at 5% of the median, so identical samples do not flag a small excess', () => {
    const samples = [10, 10, 10, 10, 10, 11, 20].map((value, i) => ({
      runId: `r${i}`,
      elementId: 'x',
      value,
    }));
    expect(findOutliers(samples, 'credits')[0]?.outliers).toEqual([{ runId: 'r6', value: 20 }]);
    expect(findOutliers(samples, 'credits')[0]?.threshold).toBe(11.5);
  });
});

describe('deterministic candidates', () => {
  const sample = (runId: string, elementId: string, input: number, output: string) => ({
    runId,
    elementId,
    strategy: 'conversational',
    input: { n: input },
    output: { label: output },
  });

  it('finds LLM steps whose output was the same each time their input was', () => {
    const candidates = findDeterministicSteps([
      sample('r1', 'classify', 1, 'a'),
      sample('r2', 'classify', 1, 'a'),
      sample('r3', 'classify', 2, 'b'),
      sample('r4', 'classify', 2, 'b'),
      sample('r5', 'classify', 3, 'a'),
      // Varies for one input: not a function of it.
      sample('r1', 'write', 1, 'x'),
      sample('r2', 'write', 1, 'y'),
      sample('r3', 'write', 2, 'z'),
      // Never saw an input twice: no evidence.
      sample('r1', 'summarise', 1, 's'),
      sample('r2', 'summarise', 2, 's'),
      sample('r3', 'summarise', 3, 's'),
      // Too few runs.
      sample('r1', 'tiny', 1, 't'),
      sample('r2', 'tiny', 1, 't'),
    ]);
    expect(candidates).toEqual([
      {
        elementId: 'classify',
        strategies: ['conversational'],
        runs: 5,
        distinctInputs: 3,
        repeatedInputs: 2,
        distinctOutputs: 2,
        exampleOutput: { label: 'a' },
      },
    ]);
  });
});

describe('routine chains', () => {
  const quoteIn = { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } };
  const quoteOut = { type: 'object', properties: { sku: { type: 'string' }, price: { type: 'number' } } };
  const orderIn = {
    type: 'object',
    required: ['sku', 'price'],
    properties: { sku: { type: 'string' }, price: { type: 'number' } },
  };
  const schemas = new Map([
    ['quote', { input: quoteIn, output: quoteOut }],
    ['order', { input: orderIn, output: null }],
    [
      'audit',
      {
        input: { type: 'object', required: ['user'], properties: { user: { type: 'string' } } },
        output: null,
      },
    ],
  ]);
  const run = (
    runId: string,
    routineId: string,
    start: number,
    end: number,
    input = {},
    outputs = {},
  ): RecordedRun => ({
    runId,
    routineId,
    startedAt: at(start),
    endedAt: at(end),
    input,
    outputs,
  });

  it("says whether one routine's outputs cover another's required input", () => {
    expect(coverage(quoteOut, orderIn)).toEqual(['price', 'sku']);
    expect(
      coverage(quoteOut, { properties: { price: { type: 'string' } }, required: ['price'] }),
    ).toBeUndefined();
    expect(coverage(quoteOut, { properties: { total: {} } })).toBeUndefined();
    expect(coverage(null, orderIn)).toBeUndefined();
  });

  it('finds routines run back to back and in swarms whose schemas fit', () => {
    const runs = [
      run('q1', 'quote', 0, 1, { sku: 'a' }, { sku: 'a', price: 3 }),
      run('o1', 'order', 1, 2, { sku: 'a', price: 3 }),
      run('q2', 'quote', 10, 11, { sku: 'b' }, { sku: 'b', price: 4 }),
      run('o2', 'order', 11, 12, { sku: 'c', price: 5 }),
      run('q3', 'quote', 20, 21, { sku: 'c' }, { sku: 'c', price: 5 }),
      // Two minutes later: not back to back.
      run('o3', 'order', 23, 24, { sku: 'c', price: 5 }),
      // Back to back but its schema does not fit.
      run('q4', 'quote', 30, 31, { sku: 'd' }, { sku: 'd', price: 1 }),
      run('a1', 'audit', 31, 32, { user: 'u' }),
      run('q5', 'quote', 40, 41, { sku: 'e' }, { sku: 'e', price: 1 }),
      run('a2', 'audit', 41, 42, { user: 'u' }),
    ];
    const chains = findRoutineChains('quote', [{ before: 'quote', after: 'order' }], runs, schemas);
    expect(chains).toEqual([
      {
        before: 'quote',
        after: 'order',
        inSwarms: 1,
        backToBack: 2,
        chainedInputs: 1,
        coveredFields: ['price', 'sku'],
      },
    ]);
    expect(findRoutineChains('quote', [], runs, schemas, { minPairs: 3 })).toEqual([]);
  });
});
