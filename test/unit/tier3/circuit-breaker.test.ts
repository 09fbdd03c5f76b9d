import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../activities/resilience/circuit-breaker.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { CircuitOpenError } from '../../../activities/resilience/errors.ts';
import { FakeClock } from './support/fake-clock.ts';

const down = () => Promise.reject(new Error('down'));
const up = () => Promise.resolve('ok');

function breaker() {
  const clock = new FakeClock();
  return {
    clock,
    breaker: new CircuitBreaker('model openai http://x', { failureThreshold: 3, coolDownMs: 10_000, clock }),
  };
}

async function fail(breaker: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i += 1) await expect(breaker.run(down)).rejects.toThrow('down');
}

describe('the circuit breaker', () => {
  it('opens after N consecutive failures and then fails fast without calling', async () => {
    const { breaker: circuit } = breaker();
    await fail(circuit, 2);
    expect(circuit.state).toBe('closed');
    await fail(circuit, 1);
    expect(circuit.state).toBe('open');
    let called = false;
    const rejected = circuit.run(async () => {
      called = true;
      return 'x';
    });
    await expect(rejected).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(rejected).rejects.toMatchObject({
      dependency: 'model openai http://x',
      retryAfterMs: 10_000,
    });
    expect(called).toBe(false);
  });

  it('counts only consecutive failures', async () => {
    const { breaker: circuit } = breaker();
    await fail(circuit, 2);
    await circuit.run(up);
    await fail(circuit, 2);
    expect(circuit.state).toBe('closed');
  });

  it('counts only the errors it is told are failures of the dependency', async () => {
    const { breaker: circuit } = breaker();
    const refused = () => Promise.reject(Object.assign(new Error('bad request'), { status: 400 }));
    for (let i = 0; i < 5; i += 1) {
      await expect(
        circuit.run(refused, (error) => (error as { status?: number }).status !== 400),
      ).rejects.toThrow();
    }
    expect(circuit.state).toBe('closed');
  });

  it('lets one trial through after the cool-down, and closes when it succeeds', async () => {
    const { clock, breaker: circuit } = breaker();
    await fail(circuit, 3);
    clock.advance(6_000);
    await expect(circuit.run(up)).rejects.toMatchObject({ retryAfterMs: 4_000 });
    clock.advance(4_000);
    expect(circuit.state).toBe('half-open');
    let release: (value: string) => void = () => undefined;
    const trial = circuit.run(() => new Promise<string>((resolve) => (release = resolve)));
    await expect(circuit.run(up)).rejects.toBeInstanceOf(CircuitOpenError);
    release('recovered');
    await expect(trial).resolves.toBe('recovered');
    expect(circuit.state).toBe('closed');
    await expect(circuit.run(up)).resolves.toBe('ok');
  });

  it('opens again for a full cool-down when the trial fails', async () => {
    const { clock, breaker: circuit } = breaker();
    await fail(circuit, 3);
    clock.advance(10_000);
    await fail(circuit, 1);
    expect(circuit.state).toBe('open');
    clock.advance(9_999);
    expect(circuit.state).toBe('open');
    clock.advance(1);
    expect(circuit.state).toBe('half-open');
  });
});

describe('the breakers of a worker', () => {
  it('keep one breaker per dependency and report their states', async () => {
    const clock = new FakeClock();
    const breakers = new CircuitBreakers({ failureThreshold: 1, clock });
    expect(breakers.for('mcp memory')).toBe(breakers.for('mcp memory'));
    await expect(breakers.for('mcp memory').run(down)).rejects.toThrow('down');
    await breakers.for('mcp everything').run(up);
    expect(breakers.states()).toEqual({ 'mcp memory': 'open', 'mcp everything': 'closed' });
  });
});
