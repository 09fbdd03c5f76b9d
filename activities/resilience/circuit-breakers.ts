import { type BreakerOptions, CircuitBreaker, type CircuitState } from './circuit-breaker.ts';

/** The breakers of one worker, one per dependency (`model <endpoint>`, `mcp <server>`), made on first use. */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: Partial<BreakerOptions> = {}) {}

  for(dependency: string): CircuitBreaker {
    let breaker = this.breakers.get(dependency);
    if (!breaker) {
      breaker = new CircuitBreaker(dependency, this.options);
      this.breakers.set(dependency, breaker);
    }
    return breaker;
  }

  /** Every breaker's state, for health checks and logs. */
  states(): Record<string, CircuitState> {
    return Object.fromEntries([...this.breakers].map(([dependency, breaker]) => [dependency, breaker.state]));
  }
}
