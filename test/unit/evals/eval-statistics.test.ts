import { describe, expect, it } from 'vitest';
import { compareEvals } from '../../../schema/eval-comparison.ts';
import type { EvalDetails } from '../../../schema/eval-run.ts';
import {
  mean,
  pairedDifference,
  percentile,
  tCritical95,
  welchDifference,
} from '../../../schema/eval-statistics.ts';

describe('eval statistics', () => {
  it('take the nearest-rank percentile', () => {
    const latencies = [120, 40, 300, 80, 200, 60, 100, 90, 70, 1000];
    expect(percentile(latencies, 50)).toBe(90);
    expect(percentile(latencies, 95)).toBe(1000);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
    expect(mean([1, 0.5, 0, 1])).toBe(0.625);
  });

  it("know Student's t: the table, and the expansion above 30 degrees of freedom", () => {
    expect(tCritical95(1)).toBeCloseTo(12.7062, 4);
    expect(tCritical95(3)).toBeCloseTo(3.1824, 4);
    expect(tCritical95(6.98)).toBeCloseTo(2.4469, 4);
    expect(tCritical95(40)).toBeCloseTo(2.021075, 3);
    expect(tCritical95(100)).toBeCloseTo(1.983972, 3);
  });

  it('give the paired t interval of the per-case differences', () => {
    const interval = pairedDifference([1, 0.5, 0, 1], [0.5, 1, 0, 0.5]);
    expect(interval.difference).toBeCloseTo(-0.125, 10);
    expect(interval.low).toBeCloseTo(-0.88673, 4);
    expect(interval.high).toBeCloseTo(0.63673, 4);
  });

  it("give Welch's interval for independent samples", () => {
    const interval = welchDifference([0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(interval.difference).toBeCloseTo(0.15, 10);
    expect(interval.low).toBeCloseTo(-0.084273, 4);
    expect(interval.high).toBeCloseTo(0.384273, 4);
  });

  it('give the widest interval with fewer than two pairs, and a point for identical differences', () => {
    expect(pairedDifference([0.5], [1])).toEqual({ difference: 0.5, low: -1, high: 1 });
    expect(pairedDifference([0, 0, 0], [1, 1, 1])).toEqual({ difference: 1, low: 1, high: 1 });
  });
});

function details(version: number, cases: [Record<string, number>, number][]): EvalDetails {
  const scores = cases.map(([, score]) => score);
  return {
    evalId: `e${version}`,
    routineId: 'r',
    version,
    datasetId: null,
    datasetVersion: null,
    toolPolicy: 'replay',
    status: 'completed',
    score: mean(scores),
    caseCount: cases.length,
    passedCount: scores.filter((score) => score === 1).length,
    usage: null,
    latencyMs: { p50: 1, p95: 1 },
    error: null,
    startedAt: new Date(0),
    endedAt: new Date(0),
    cases: cases.map(([input, score], index) => ({
      ordinal: index + 1,
      runId: null,
      input,
      output: null,
      expected: null,
      score,
      passed: score === 1,
      reasons: [],
      latencyMs: 1,
      usage: null,
    })),
  };
}

describe('comparing two evals', () => {
  it('pairs cases by input whatever their order', () => {
    const a = details(1, [
      [{ n: 1 }, 1],
      [{ n: 2 }, 0.5],
      [{ n: 3 }, 0],
    ]);
    const b = details(2, [
      [{ n: 3 }, 0.5],
      [{ n: 1 }, 1],
      [{ n: 2 }, 1],
    ]);
    const comparison = compareEvals('r', a, b);
    expect(comparison).toMatchObject({ method: 'paired-t', pairs: 3 });
    expect(comparison.difference).toBeCloseTo(1 / 3, 10);
  });

  it("falls back to Welch's t when the evals ran different cases", () => {
    const a = details(1, [
      [{ n: 1 }, 1],
      [{ n: 2 }, 0],
    ]);
    const b = details(2, [
      [{ n: 1 }, 1],
      [{ n: 9 }, 1],
    ]);
    expect(compareEvals('r', a, b)).toMatchObject({ method: 'welch-t', pairs: 0, difference: 0.5 });
  });
});
