import type { Kysely } from 'kysely';
import type { Database } from '../../../schema/db/tables.ts';
import { UnknownRoutineError } from '../../store/errors.ts';
import { getEval } from '../../store/eval-store.ts';
import { RoutineStore } from '../../store/routine-store.ts';
import { routineVersionDefinition } from '../../store/routine-version-definition.ts';
import type { CombinationSources } from '../optimizers/combination.ts';
import type { ScoredVariant } from './merge-variants.ts';

/** Other versions read for a merge at most, best scored first. */
const MAX_VARIANTS = 5;

/**
 * The combination optimizer's sources in the store: another routine's latest version, and the
 * routine's other versions with the cases of their latest completed eval, best eval score first.
 */
export function storeCombinationSources(db: Kysely<Database>): CombinationSources {
  const store = new RoutineStore(db);
  return {
    async routine(tenantId, routineId) {
      try {
        const latest = await store.get(tenantId, routineId);
        return {
          id: latest.id,
          name: latest.name,
          ...(latest.inputSchema === null ? {} : { inputSchema: latest.inputSchema }),
          ...(latest.outputSchema === null ? {} : { outputSchema: latest.outputSchema }),
        };
      } catch (error) {
        if (error instanceof UnknownRoutineError) return undefined;
        throw error;
      }
    },
    async variants(tenantId, routineId, exceptVersion) {
      const evals = await db
        .selectFrom('eval_runs')
        .select(['eval_id', 'routine_version', 'score'])
        .where('tenant_id', '=', tenantId)
        .where('routine_id', '=', routineId)
        .where('routine_version', '!=', exceptVersion)
        .where('status', '=', 'completed')
        .orderBy('started_at', 'desc')
        .orderBy('eval_id', 'desc')
        .execute();
      const latest = new Map<number, (typeof evals)[number]>();
      for (const row of evals) if (!latest.has(row.routine_version)) latest.set(row.routine_version, row);
      const best = [...latest.values()]
        .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || b.routine_version - a.routine_version)
        .slice(0, MAX_VARIANTS);
      const variants: ScoredVariant[] = [];
      for (const row of best) {
        const details = await getEval(db, tenantId, row.eval_id);
        if (!details) continue;
        const version = await store.get(tenantId, routineId, row.routine_version);
        variants.push({
          version: version.version,
          definition: routineVersionDefinition(version),
          cases: details.cases,
        });
      }
      return variants;
    },
  };
}
