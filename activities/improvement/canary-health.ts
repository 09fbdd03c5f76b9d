import { type Kysely, sql } from 'kysely';
import type { CanaryHealth, VersionLiveRecord } from '../../schema/canary-judgement.ts';
import type { Database } from '../../schema/db/tables.ts';
import type { RoutineStore } from '../store/routine-store.ts';

/** Statuses of runs that ended; every one but `completed` counts as a failure. A cancelled run counts as neither. */
const ENDED = ['completed', 'failed', 'incident', 'terminated', 'timed_out'] as const;

/**
 * The live records of a routine's baseline and canary versions since its canary started: runs
 * that ended, failed, and their mean live score. Eval runs (`…:case-…`) are left out. When the
 * canary of `canaryVersion` no longer goes on (a person promoted or rolled back, or registered a
 * new version), `ongoing` is false and the records count from the baseline's activation instead.
 */
export async function canaryHealth(
  db: Kysely<Database>,
  routines: RoutineStore,
  request: { tenantId: string; routineId: string; baselineVersion: number; canaryVersion: number },
): Promise<CanaryHealth & { ongoing: boolean }> {
  const { tenantId, routineId, baselineVersion, canaryVersion } = request;
  const canary = await routines.canary(tenantId, routineId);
  const ongoing = canary?.version === canaryVersion;
  const since = canary?.startedAt ?? new Date(0);
  const rows = await db
    .selectFrom('runs')
    .select((eb) => [
      'routine_version',
      eb.fn.countAll<string>().as('ended'),
      sql<string>`count(*) filter (where status <> 'completed')`.as('failed'),
      eb.fn.avg<number | string | null>('score').as('score'),
      eb.fn.count<string>('score').as('scored'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', routineId)
    .where('routine_version', 'in', [baselineVersion, canaryVersion])
    .where('started_at', '>=', since)
    .where('status', 'in', [...ENDED])
    .where('run_id', 'not like', '%:case-%')
    .groupBy('routine_version')
    .execute();
  const record = (version: number): VersionLiveRecord => {
    const row = rows.find((one) => one.routine_version === version);
    return {
      version,
      ended: Number(row?.ended ?? 0),
      failed: Number(row?.failed ?? 0),
      score: row?.score === null || row?.score === undefined ? null : Number(row.score),
      scored: Number(row?.scored ?? 0),
    };
  };
  return { baseline: record(baselineVersion), canary: record(canaryVersion), ongoing };
}
