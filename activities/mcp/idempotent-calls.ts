/**
 * Calls by idempotency key: a call whose key is running or done returns that call's result
 * instead of running again. Bounded: past `capacity` keys the oldest is forgotten. A call that
 * fails is forgotten at once, so a retry runs it again.
 */
export class IdempotentCalls<T> {
  private readonly calls = new Map<string, Promise<T>>();

  constructor(private readonly capacity: number) {}

  run(key: string, call: () => Promise<T>): Promise<T> {
    const known = this.calls.get(key);
    if (known) return known;
    const running = call();
    this.calls.set(key, running);
    running.catch(() => {
      if (this.calls.get(key) === running) this.calls.delete(key);
    });
    this.evictBeyondCapacity();
    return running;
  }

  get size(): number {
    return this.calls.size;
  }

  private evictBeyondCapacity(): void {
    for (const key of this.calls.keys()) {
      if (this.calls.size <= this.capacity) return;
      this.calls.delete(key);
    }
  }
}
