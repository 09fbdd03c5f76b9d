import type { TenantQuotas } from '../../schema/identity.ts';

/** The name of a tenant quota, as stored and as the API's 429 names it. */
export type QuotaName = keyof TenantQuotas;

/** How each quota is raised with `swarmflow tenants quotas`, and what its numbers count. */
const quotaTerms: Record<
  QuotaName,
  { flag: string; wait: string; describe: (current: number, limit: number) => string }
> = {
  maxConcurrentRuns: {
    flag: '--max-concurrent-runs',
    wait: 'wait for a run to end',
    describe: (current, limit) => `${current} runs running, of at most ${limit} at once`,
  },
  maxConcurrentSwarms: {
    flag: '--max-concurrent-swarms',
    wait: 'wait for a swarm to end',
    describe: (current, limit) => `${current} swarms running, of at most ${limit} at once`,
  },
  creditsPerDay: {
    flag: '--credits-per-day',
    wait: 'wait until 00:00 UTC',
    describe: (current, limit) => `${current} credits used since 00:00 UTC, of ${limit} a day`,
  },
};

/**
 * Starting a run or swarm would take a tenant over one of its quotas. The API server answers it
 * with HTTP 429 naming `quota`; the message says how to raise it.
 */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
  constructor(
    readonly tenantId: string,
    /** The quota that is reached, e.g. `maxConcurrentRuns`. */
    readonly quota: QuotaName,
    /** The quota's value. */
    readonly limit: number,
    /** What the tenant has now: running runs or swarms, or credits used today. */
    readonly current: number,
  ) {
    const { flag, wait, describe } = quotaTerms[quota];
    super(
      `tenant ${tenantId} has reached its quota ${quota} (${describe(current, limit)}); ` +
        `${wait}, or raise it with \`swarmflow tenants quotas ${tenantId} ${flag} <n>\``,
    );
  }
}
