/** Starting more would take a tenant over one of its quotas: a 429 naming the quota. */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
  constructor(
    readonly tenantId: string,
    /** The quota's name, e.g. maxConcurrentRuns. */
    readonly quota: string,
    readonly limit: number,
    readonly current: number,
  ) {
    super(
      `quota ${quota} of tenant "${tenantId}" reached (${current} of ${limit}); ` +
        'wait for some to end, or raise it with `swarmflow tenants quotas`',
    );
  }
}
