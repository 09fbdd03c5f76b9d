/**
 * A cycle's budget: the credits its optimizers and eval runs spent and, when the policy caps them,
 * the metric calls (case runs of its evals, as GEPA counts rollouts); whether the next eval, at its
 * estimated cost and number of cases, still fits. Workflow state; pure.
 */
export class CycleBudget {
  private spentCredits = 0;
  private caseRuns = 0;

  constructor(
    readonly credits: number,
    readonly maxMetricCalls?: number,
  ) {}

  /** The case runs the cycle's evals made so far. */
  get metricCalls(): number {
    return this.caseRuns;
  }

  get spent(): number {
    return Math.round(this.spentCredits * 1e6) / 1e6;
  }

  get remaining(): number {
    return Math.max(0, this.credits - this.spentCredits);
  }

  charge(credits: number, caseRuns = 0): void {
    this.spentCredits += credits;
    this.caseRuns += caseRuns;
  }

  /** Why `what`, estimated at `estimate` credits and `cases` case runs, does not fit; undefined when it does. */
  refusal(what: string, estimate: number, cases = 0): string | undefined {
    if (this.maxMetricCalls !== undefined && this.caseRuns + cases > this.maxMetricCalls) {
      return `budget: ran ${this.caseRuns} of ${this.maxMetricCalls} metric calls (eval case runs); ${what} needs ${cases} more`;
    }
    if (this.spentCredits + estimate <= this.credits && this.spentCredits < this.credits) return undefined;
    return `budget: spent ${this.spent} of ${this.credits} credits; ${what} would cost about ${round(estimate)} more`;
  }
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
