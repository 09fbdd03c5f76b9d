/**
 * The tokens of one scope instance: paths that may spawn further paths. `settled` resolves when
 * every path has ended, including those spawned meanwhile, and rejects with the first failure.
 */
export class TokenGroup {
  private readonly pending = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  get size(): number {
    return this.pending.size;
  }

  spawn(path: () => Promise<void>): void {
    const running: Promise<void> = path()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0 && this.failure === undefined) await Promise.race(this.pending);
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every path to end, failed or not (after a cancellation, so they record how they ended). */
  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled(this.pending);
  }
}
