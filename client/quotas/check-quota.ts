import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { creditsUsedSince } from '../../activities/store/tenant-credits.ts';
import type { Database } from '../../schema/db/tables.ts';
import { TenantId, type TenantQuotas } from '../../schema/identity.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import { parseInput } from '../../schema/validation.ts';
import { QuotaExceededError } from './quota-exceeded-error.ts';

/** What the quota check reads: the tenants and run_steps tables, and Temporal's visibility. */
export interface QuotaDependencies {
  db: Kysely<Database>;
  temporal: Client;
}

/** What is about to start. */
export type QuotaKind = 'run' | 'swarm';

/** Each kind's concurrency quota and the workflow type its executions have. */
const concurrency = {
  run: { quota: 'maxConcurrentRuns', workflowType: 'runWorkflow' },
  swarm: { quota: 'maxConcurrentSwarms', workflowType: 'swarmWorkflow' },
} as const;

/**
 * Checks, before a run or a swarm starts, that the tenant has room under its quotas (an absent
 * quota, or a tenant without a row, is unlimited):
 *
 * - `maxConcurrentRuns` / `maxConcurrentSwarms`: the tenant's running top-level runs (swarms),
 *   counted in Temporal's visibility. Top-level means started from outside, by the API, the SDK,
 *   a message start event or a schedule: runs a run calls, a swarm's subtask runs and sub-swarms
 *   are part of the work that started them and were checked with it, so they do not count.
 *   Runs parked on an incident, a budget or a user task are still running and count.
 * - `creditsPerDay`, for both kinds: the credits the tenant's steps used since 00:00 UTC
 *   (activities/store/tenant-credits.ts).
 *
 * A guard, not a reservation: visibility lags a start by a moment, so starts racing each other
 * may pass it together and go over by as many.
 * @throws QuotaExceededError naming the quota reached, its limit and the current count.
 * @throws ValidationError when `tenantId` is not a valid tenant id.
 */
export async function checkQuota(
  deps: QuotaDependencies,
  tenantId: string,
  kind: QuotaKind,
  now: Date = new Date(),
): Promise<void> {
  const id = parseInput(TenantId, tenantId, 'tenant id');
  const quotas = await quotasOf(deps.db, id);
  const { quota, workflowType } = concurrency[kind];
  const maxRunning = quotas[quota];
  if (maxRunning !== undefined) {
    const running = await countRunning(deps.temporal, id, workflowType);
    if (running >= maxRunning) throw new QuotaExceededError(id, quota, maxRunning, running);
  }
  if (quotas.creditsPerDay !== undefined) {
    const used = await creditsUsedSince(deps.db, id, utcMidnight(now));
    if (used >= quotas.creditsPerDay)
      throw new QuotaExceededError(id, 'creditsPerDay', quotas.creditsPerDay, used);
  }
}

/** 00:00 UTC of the day `now` is in: where a day's credits start. */
export function utcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

async function quotasOf(db: Kysely<Database>, tenantId: string): Promise<TenantQuotas> {
  const row = await db.selectFrom('tenants').select('quotas').where('id', '=', tenantId).executeTakeFirst();
  return row?.quotas ?? {};
}

/** The tenant's running top-level executions of `workflowType` (`tenantId` is a checked TenantId: no quotes). */
async function countRunning(temporal: Client, tenantId: string, workflowType: string): Promise<number> {
  const query = [
    `WorkflowType = '${workflowType}'`,
    `${SearchAttributes.tenant.name} = '${tenantId}'`,
    `ExecutionStatus = 'Running'`,
    'ParentWorkflowId IS NULL',
  ].join(' AND ');
  const { count } = await temporal.workflow.count(query);
  return count;
}
