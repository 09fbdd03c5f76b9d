import { describe, expect, it } from 'vitest';
import { type CanaryRules, judgeCanary, type VersionLiveRecord } from '../../../schema/canary-judgement.ts';
import { startsCanary } from '../../../schema/canary-split.ts';

const rules: CanaryRules = {
  percent: 20,
  minRuns: 20,
  failureMargin: 0.05,
  scoreMargin: 0.05,
  checkEveryMs: 60_000,
  maxDurationMs: 3_600_000,
};

const record = (version: number, ended: number, failed: number, score: number | null = null, scored = 0) =>
  ({ version, ended, failed, score, scored }) satisfies VersionLiveRecord;

describe('judging a canary', () => {
  it('waits while the candidate has too few runs and nothing is wrong yet', () => {
    const judged = judgeCanary({ baseline: record(1, 80, 4), canary: record(2, 10, 0) }, rules, 60_000);
    expect(judged.verdict).toBe('wait');
    expect(judged.why).toMatch(/10 of 20 runs ended/);
  });

  it('rolls back when its failure rate rises above the baseline’s by more than the margin', () => {
    const judged = judgeCanary({ baseline: record(1, 80, 4), canary: record(2, 20, 3) }, rules, 60_000);
    expect(judged.verdict).toBe('rollback');
    expect(judged.why).toMatch(/failure rate rose by 10%/);
    expect(judged.why).toMatch(/v2: 3 of 20 runs failed \(15%\)/);
    expect(judged.why).toMatch(/v1: 4 of 80 runs failed \(5%\)/);
  });

  it('rolls back early when its failures alone exceed what the minimum number of runs could excuse', () => {
    // 20 × (0 + 0.05) = 1 failure could be excused; 2 cannot, whatever the next runs do.
    const judged = judgeCanary({ baseline: record(1, 50, 0), canary: record(2, 3, 2) }, rules, 60_000);
    expect(judged.verdict).toBe('rollback');
  });

  it('keeps a rise within the margin', () => {
    const judged = judgeCanary({ baseline: record(1, 100, 5), canary: record(2, 20, 2) }, rules, 60_000);
    expect(judged.verdict).toBe('promote');
  });

  /** A baseline scoring 0.9 over 40 runs against a candidate scoring `score` over `scored` of its 20. */
  const judgeScores = (score: number, scored: number) =>
    judgeCanary(
      { baseline: record(1, 40, 0, 0.9, 40), canary: record(2, 20, 0, score, scored) },
      rules,
      60_000,
    );

  it('rolls back when its mean live score falls by more than the margin over enough scored runs', () => {
    const judged = judgeScores(0.8, 20);
    expect(judged.verdict).toBe('rollback');
    expect(judged.why).toMatch(/mean live score fell by 0.100/);
  });

  it('does not judge scores on too few scored runs', () => {
    expect(judgeScores(0.5, 5).verdict).toBe('promote');
  });

  it('is inconclusive, keeping the baseline, when time runs out before enough runs', () => {
    const judged = judgeCanary({ baseline: record(1, 40, 0), canary: record(2, 5, 0) }, rules, 3_600_000);
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.why).toMatch(/only 5 of the 20 runs needed/);
  });
});

describe('the canary split of new runs', () => {
  it('sends about the canary’s share of run ids to it, and a run id always to the same side', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `run-${i}-${(i * 7919) % 1000}`);
    const share = ids.filter((id) => startsCanary(id, 20)).length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(ids.map((id) => startsCanary(id, 20))).toEqual(ids.map((id) => startsCanary(id, 20)));
    expect(ids.some((id) => startsCanary(id, 1))).toBe(true);
    expect(ids.every((id) => startsCanary(id, 99) || !startsCanary(id, 1))).toBe(true);
  });
});
