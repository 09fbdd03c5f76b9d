import { describe, expect, it } from 'vitest';
import { dominates, paretoFront } from '../../../activities/improvement/optimizers/pareto-front.ts';
import { paretoParents } from '../../../activities/improvement/optimizers/reflective-prompt.ts';
import { evidenceOf } from '../../support/optimizer-context.ts';

describe('Pareto selection across cases', () => {
  it('keeps every variant that is best somewhere and drops those dominated on every case', () => {
    const front = paretoFront([
      { variant: 'a', scores: [1, 0, 0.5] },
      { variant: 'b', scores: [0, 1, 0.5] },
      { variant: 'c', scores: [0, 0.5, 0.5] }, // b is at least as good everywhere, better on case 2
      { variant: 'd', scores: [0.5, 0.5, 1] },
    ]);
    expect(front.map((entry) => entry.variant)).toEqual(['a', 'b', 'd']);
  });

  it('keeps the first of variants with identical scores, and counts a missing score as 0', () => {
    const front = paretoFront([
      { variant: 'a', scores: [1, 0] },
      { variant: 'b', scores: [1, 0] },
      { variant: 'c', scores: [1] },
    ]);
    expect(front.map((entry) => entry.variant)).toEqual(['a']);
  });

  it('says when one score vector dominates another', () => {
    expect(dominates([1, 1], [1, 0])).toBe(true);
    expect(dominates([1, 0], [1, 0])).toBe(false);
    expect(dominates([1, 0], [0, 1])).toBe(false);
  });

  it('chooses the reflective parents among the baseline and the earlier variants, matched by input', () => {
    const definition = (prompt: string) => ({
      id: 'r',
      body: { kind: 'sequence' as const, steps: [{ id: 's', prompt }] },
    });
    const evidence = evidenceOf(
      definition('baseline'),
      [
        { input: { n: 1 }, score: 1, reasons: [] },
        { input: { n: 2 }, score: 0, reasons: [] },
      ],
      {
        variants: [
          // better on n=2, worse on n=1: on the front
          {
            definition: definition('v1') as never,
            cases: [
              { input: { n: 2 }, score: 1 },
              { input: { n: 1 }, score: 0 },
            ],
          },
          // dominated by the baseline
          { definition: definition('v2') as never, cases: [{ input: { n: 1 }, score: 0.5 }] },
        ],
      },
    );
    const parents = paretoParents(evidence).map((parent) =>
      parent.body.kind === 'sequence' ? parent.body.steps[0]?.prompt : undefined,
    );
    expect(parents).toEqual(['baseline', 'v1']);
  });
});
