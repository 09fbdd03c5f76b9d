import { describe, expect, it } from 'vitest';
import { utcMidnight } from '../../../client/quotas/check-quota.ts';
import { QuotaExceededError } from '../../../client/quotas/quota-exceeded-error.ts';

describe('QuotaExceededError', () => {
  it('names the quota, what the tenant has, and the command that raises it', () => {
    const swarms = new QuotaExceededError('acme', 'maxConcurrentSwarms', 2, 2);
    expect(swarms).toMatchObject({
      name: 'QuotaExceededError',
      tenantId: 'acme',
      quota: 'maxConcurrentSwarms',
      limit: 2,
      current: 2,
    });
    expect(swarms.message).toBe(
      'tenant acme has reached its quota maxConcurrentSwarms (2 swarms running, of at most 2 at once); ' +
        'wait for a swarm to end, or raise it with `swarmflow tenants quotas acme --max-concurrent-swarms <n>`',
    );
    expect(new QuotaExceededError('acme', 'creditsPerDay', 50, 50.25).message).toBe(
      'tenant acme has reached its quota creditsPerDay (50.25 credits used since 00:00 UTC, of 50 a day); ' +
        'wait until 00:00 UTC, or raise it with `swarmflow tenants quotas acme --credits-per-day <n>`',
    );
  });
});

describe('utcMidnight', () => {
  it('starts the day at 00:00 UTC whatever the hour', () => {
    expect(utcMidnight(new Date('2026-03-01T23:59:59.999Z'))).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(utcMidnight(new Date('2026-03-02T00:00:00Z'))).toEqual(new Date('2026-03-02T00:00:00Z'));
  });
});
