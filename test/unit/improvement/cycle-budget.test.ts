import { describe, expect, it } from 'vitest';
import { CycleBudget } from '../../../workflows/improvement/cycle-budget.ts';

describe("an improvement cycle's budget", () => {
  it('refuses an eval whose estimated credits would pass the budget, naming what it spent', () => {
    const budget = new CycleBudget(10);
    budget.charge(7.5);
    expect(budget.refusal('evaluating version 2', 2)).toBeUndefined();
    expect(budget.refusal('evaluating version 3', 3)).toBe(
      'budget: spent 7.5 of 10 credits; evaluating version 3 would cost about 3 more',
    );
  });

  it('counts the case runs of its evals as metric calls and refuses an eval past their cap', () => {
    const budget = new CycleBudget(100, 10);
    expect(budget.refusal('the baseline eval', 1, 4)).toBeUndefined();
    budget.charge(1, 4);
    budget.charge(1, 4);
    expect(budget.metricCalls).toBe(8);
    expect(budget.refusal('evaluating version 3', 1, 4)).toBe(
      'budget: ran 8 of 10 metric calls (eval case runs); evaluating version 3 needs 4 more',
    );
  });

  it('counts metric calls without capping them when the policy sets no cap', () => {
    const budget = new CycleBudget(100);
    budget.charge(1, 400);
    expect(budget.refusal('evaluating version 9', 1, 400)).toBeUndefined();
    expect(budget.metricCalls).toBe(400);
  });
});
