import type { Clock } from '../../../../activities/resilience/clock.ts';

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  constructor(private time = 1_000_000) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
