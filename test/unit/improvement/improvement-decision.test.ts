import { describe, expect, it } from 'vitest';
import { decide } from '../../../schema/improvement-decision.ts';

const baseline = { version: 1, scores: [0.5, 0.6, 0.4, 0.7, 0.5, 0.6], costPerRun: 1 };

describe('the improvement decision rule', () => {
  it('promotes a candidate whose paired interval lies above 0 at no more cost', () => {
    const candidate = { version: 2, scores: [0.7, 0.8, 0.6, 0.85, 0.7, 0.8], costPerRun: 1 };
    const decision = decide(baseline, candidate, 0.02);
    expect(decision.verdict).toBe('promote');
    expect(decision.low).toBeGreaterThan(0);
    expect(decision.difference).toBeCloseTo(0.191667, 5);
    expect(decision.why).toMatch(
      /^better: score 0\.7417 vs 0\.55 \(difference \+0\.1917, 95% CI \+0\.\d+ to \+0\.\d+, 6 paired cases\), at no more cost/,
    );
  });

  it('rejects a better but dearer candidate, naming the costs', () => {
    const candidate = { version: 2, scores: [0.7, 0.8, 0.6, 0.85, 0.7, 0.8], costPerRun: 1.5 };
    const decision = decide(baseline, candidate, 0.02);
    expect(decision.verdict).toBe('reject');
    expect(decision.why).toMatch(/^better but dearer: .*cost per run 1\.5 vs 1$/);
  });

  it('does not promote a higher mean whose interval includes 0', () => {
    const candidate = { version: 2, scores: [0.9, 0.3, 0.8, 0.6, 0.5, 0.7], costPerRun: 1 };
    const decision = decide(baseline, candidate, 0.02);
    expect(decision.candidateScore).toBeGreaterThan(decision.baselineScore);
    expect(decision.low).toBeLessThan(0);
    expect(decision.verdict).toBe('reject');
    expect(decision.why).toMatch(/^not shown better: the interval includes 0/);
  });

  it('rejects a worse candidate', () => {
    const candidate = { version: 2, scores: [0.3, 0.4, 0.2, 0.5, 0.3, 0.4], costPerRun: 0.2 };
    const decision = decide(baseline, candidate, 0.02);
    expect(decision.verdict).toBe('reject');
    expect(decision.why).toMatch(/^worse: score 0\.35 vs 0\.55 \(difference -0\.2, 95% CI -0\.2 to -0\.2/);
  });

  it('promotes the same score at a lower cost, and rejects it at the same cost', () => {
    const same = { version: 2, scores: baseline.scores, costPerRun: 0.4 };
    const cheaper = decide(baseline, same, 0.02);
    expect(cheaper.verdict).toBe('promote');
    expect(cheaper.why).toMatch(/^the same score within ±0\.02: .* at lower cost: cost per run 0\.4 vs 1$/);
    const equal = decide(baseline, { ...same, costPerRun: 0.98 }, 0.02);
    expect(equal.verdict).toBe('reject');
    expect(equal.why).toMatch(/^the same score within ±0\.02 but not cheaper by 5%/);
  });

  it('refuses to decide on fewer than two cases or unpaired evals', () => {
    const one = decide({ ...baseline, scores: [0.5] }, { version: 2, scores: [1], costPerRun: 0 }, 0.02);
    expect(one).toMatchObject({ verdict: 'reject', low: -1, high: 1 });
    expect(one.why).toMatch(/too few cases/);
    const unpaired = decide(baseline, { version: 2, scores: [1, 1], costPerRun: 0 }, 0.02);
    expect(unpaired.why).toMatch(/different cases \(6 vs 2\)/);
  });
});
