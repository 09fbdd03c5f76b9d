import { type Clock, systemClock } from './clock.ts';
import { CircuitOpenError } from './errors.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before letting one trial call through. */
  coolDownMs: number;
  clock: Clock;
}

const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  failureThreshold: 5,
  coolDownMs: 30_000,
  clock: systemClock,
};

/**
 * Guards one dependency. Closed: calls go through and consecutive failures are counted. Open
 * (after `failureThreshold` of them): calls fail fast with a CircuitOpenError. Half-open (once
 * `coolDownMs` has passed): one trial call goes through; its success closes the circuit, its
 * failure opens it for another cool-down. Only errors `isFailure` accepts count as failures.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly options: BreakerOptions;

  constructor(
    readonly dependency: string,
    options: Partial<BreakerOptions> = {},
  ) {
    this.options = { ...DEFAULT_BREAKER_OPTIONS, ...options };
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.remainingCoolDown() > 0 ? 'open' : 'half-open';
  }

  async run<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    const trial = this.admit();
    try {
      const result = await call();
      this.succeeded();
      return result;
    } catch (error) {
      if (isFailure(error)) this.failed();
      else this.succeeded();
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  /** Lets a call through or throws; true when the call is the half-open trial. */
  private admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    throw new CircuitOpenError(this.dependency, Math.max(this.remainingCoolDown(), 1000));
  }

  private succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
  }

  private failed(): void {
    this.failures += 1;
    if (this.openedAt !== undefined || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.clock.now();
    }
  }

  private remainingCoolDown(): number {
    return this.openedAt === undefined
      ? 0
      : this.openedAt + this.options.coolDownMs - this.options.clock.now();
  }
}
