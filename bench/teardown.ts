/** Cleanup steps run last-registered first; every step runs even when one fails. */
export class Teardown {
  private readonly steps: { label: string; run: () => Promise<void> }[] = [];

  add(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }

  /** Runs and forgets every step; reports failures on stderr rather than hiding them. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step.run().catch((error: unknown) => {
        process.stderr.write(
          `cleanup "${step.label}" failed: ${error instanceof Error ? error.message : error}\n`,
        );
      });
    }
  }
}
