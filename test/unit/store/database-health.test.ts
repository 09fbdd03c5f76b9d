import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseHealth } from '../../../activities/store/database-health.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A database the test takes down and brings back; the health's probe asks it. */
class Switch {
  up = true;
  probes = 0;
  readonly probe = async () => {
    this.probes += 1;
    if (!this.up) throw refused;
  };
}

const healths: DatabaseHealth[] = [];
function track(database: Switch, lines: string[], now: () => number = Date.now): DatabaseHealth {
  const health = new DatabaseHealth({
    address: '127.0.0.1:5432',
    probe: database.probe,
    log: (line) => lines.push(line),
    probeIntervalMs: 5,
    now,
  });
  healths.push(health);
  return health;
}
afterEach(() => {
  for (const health of healths.splice(0)) health.stop();
});

describe('database health', () => {
  it('logs once when the database is lost and once when it is back, however often it is lost meanwhile', async () => {
    const database = new Switch();
    const lines: string[] = [];
    let clock = 1_000;
    const health = track(database, lines, () => clock);

    database.up = false;
    health.reportLost(refused);
    health.reportLost(new Error('Connection terminated unexpectedly'));
    expect(await health.check()).toBe(false);
    await expect.poll(() => database.probes).toBeGreaterThanOrEqual(3);
    expect(health.reachable).toBe(false);
    expect(lines).toEqual([
      'database 127.0.0.1:5432 is unreachable (connect ECONNREFUSED 127.0.0.1:5432); activities that need it are retried until it is back',
    ]);

    clock = 31_500;
    database.up = true;
    expect(await health.waitUntilReachable(5_000)).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('database 127.0.0.1:5432 is reachable again after 30.5 s');

    database.up = false;
    expect(await health.check()).toBe(false);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^database 127\.0\.0\.1:5432 is unreachable/);
  });

  it('stops waiting after the timeout, or when the caller gives up, while the database stays down', async () => {
    const database = new Switch();
    const health = track(database, []);
    expect(await health.waitUntilReachable(0)).toBe(true);

    database.up = false;
    health.reportLost(refused);
    const started = Date.now();
    expect(await health.waitUntilReachable(50)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);

    const cancelled = new AbortController();
    const waiting = health.waitUntilReachable(60_000, cancelled.signal);
    await sleep(10);
    cancelled.abort();
    expect(await waiting).toBe(false);
  });

  it('checks by probing while reachable, and marks the database lost when the probe fails', async () => {
    const database = new Switch();
    const lines: string[] = [];
    const health = track(database, lines);
    expect(await health.check()).toBe(true);
    expect(lines).toEqual([]);
    database.up = false;
    expect(await health.check()).toBe(false);
    expect(health.reachable).toBe(false);
    expect(lines).toHaveLength(1);
  });
});
