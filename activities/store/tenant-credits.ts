import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { roundCredits } from '../../schema/usage.ts';

/**
 * The credits a tenant's steps used that ended at or after `since`, from the run_steps read model
 * (each step's usage, priced when it ended). Steps are the ledger's leaves: a run's, a branch's,
 * a called routine's and a swarm subtask's steps each count once, where summing runs' or swarms'
 * totals would count a child's usage again in its parent.
 */
export async function creditsUsedSince(db: Kysely<Database>, tenantId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('run_steps')
    .select(sql<string | null>`sum((usage ->> 'credits')::numeric)`.as('credits'))
    .where('tenant_id', '=', tenantId)
    .where('ended_at', '>=', since)
    .executeTakeFirst();
  return roundCredits(Number(row?.credits ?? 0));
}
