import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { ImprovementEvidence } from '../../schema/improvement.ts';

/** How many earlier candidates a cycle shows the reflective optimizer, newest first. */
const MAX_VARIANTS = 5;

/**
 * The routine's earlier candidate versions that an improvement cycle measured, each with the case
 * scores of its own eval (the last eval id of its lineage), newest first: the variants whose Pareto
 * front across cases the reflective optimizer mutates, GEPA-style, together with the baseline.
 * `exceptVersion` (the baseline) is left out; versions without a measured eval are too.
 */
export async function earlierVariants(
  db: Kysely<Database>,
  tenantId: string,
  routineId: string,
  exceptVersion: number,
): Promise<NonNullable<ImprovementEvidence['variants']>> {
  const versions = await db
    .selectFrom('routine_versions')
    .select(['version', 'definition', 'lineage'])
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', routineId)
    .where('version', '!=', exceptVersion)
    .where('lineage', 'is not', null)
    .where('definition', 'is not', null)
    .orderBy('version', 'desc')
    .limit(MAX_VARIANTS)
    .execute();
  const variants: NonNullable<ImprovementEvidence['variants']> = [];
  for (const row of versions) {
    const evalId = row.lineage?.evalIds.at(-1);
    if (evalId === undefined || row.definition === null) continue;
    const cases = await db
      .selectFrom('eval_cases')
      .select(['input', 'score'])
      .where('tenant_id', '=', tenantId)
      .where('eval_id', '=', evalId)
      .orderBy('ordinal')
      .execute();
    if (cases.length === 0) continue;
    variants.push({
      definition: row.definition,
      change: row.lineage?.change,
      cases: cases.map((c) => ({ input: c.input, score: c.score })),
    });
  }
  return variants;
}
