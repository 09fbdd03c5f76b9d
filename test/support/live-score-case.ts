import type { Kysely } from 'kysely';
import type {
  EvaluationActivities,
  ScoreCaseInput,
  ScoredCase,
} from '../../activities/evaluation/contract.ts';
import type { Database } from '../../schema/db/tables.ts';
import { scorersNeedingExpected } from '../../schema/evaluation.ts';
import { NO_USAGE } from '../../schema/usage.ts';

/**
 * A small but real `scoreCase` for live scoring until the scorers land: every scorer of the routine
 * version's evaluation section that needs no expected output scores the share of the properties the
 * routine's output schema requires that the output has (1 with none required). No FEEL, no judge.
 * Returns null, as the contract says, with no evaluation section or no such scorer.
 */
export function requiredPropertiesScoreCase(db: Kysely<Database>): EvaluationActivities {
  return {
    async scoreCase(input: ScoreCaseInput): Promise<ScoredCase | null> {
      const version = await db
        .selectFrom('routine_versions')
        .select(['evaluation', 'output_schema'])
        .where('tenant_id', '=', input.tenantId)
        .where('routine_id', '=', input.routineId)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (!version)
        throw Object.assign(new Error(`no routine ${input.routineId}@${input.version}`), {
          name: 'UnknownRoutine',
        });
      const scorers = (version.evaluation?.scorers ?? []).filter(
        (scorer) => input.mode === 'eval' || !scorersNeedingExpected.has(scorer.kind),
      );
      if (scorers.length === 0) return null;
      const required = ((version.output_schema as { required?: string[] } | null)?.required ??
        []) as string[];
      const output = (input.output ?? {}) as Record<string, unknown>;
      const present = required.filter((name) => output[name] !== undefined);
      const score = required.length === 0 ? 1 : present.length / required.length;
      const missing = required.filter((name) => output[name] === undefined);
      const reason = missing.length === 0 ? 'has every required property' : `misses ${missing.join(', ')}`;
      const reasons = scorers.map((scorer) => ({
        name: scorer.name ?? scorer.kind,
        kind: scorer.kind,
        score,
        weight: scorer.weight,
        reason,
      }));
      const passScore = version.evaluation?.passScore ?? 1;
      return { score, passed: score >= passScore, reasons, steps: [], usage: { ...NO_USAGE } };
    },
  };
}
