/**
 * A cycle's credit budget: what its optimizers and eval runs spent, and whether the next eval,
 * at its estimated cost, still fits. Workflow state; pure.
 */
export class CycleBudget {
  private spentCredits = 0;

  constructor(readonly credits: number) {}

  get spent(): number {
    return Math.round(this.spentCredits * 1e6) / 1e6;
  }

  get remaining(): number {
    return Math.max(0, this.credits - this.spentCredits);
  }

  charge(credits: number): void {
    this.spentCredits += credits;
  }

  /** Why `what`, estimated at `estimate` credits, does not fit; undefined when it does. */
  refusal(what: string, estimate: number): string | undefined {
    if (this.spentCredits + estimate <= this.credits && this.spentCredits < this.credits) return undefined;
    return `budget: spent ${this.spent} of ${this.credits} credits; ${what} would cost about ${round(estimate)} more`;
  }
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
