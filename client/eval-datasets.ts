import type { Kysely } from 'kysely';
import type { Database } from '../schema/db/tables.ts';
import type { EvalDatasetRef } from '../schema/eval-run.ts';
import type { EvalCase } from '../schema/evaluation.ts';
import { ValidationError } from '../schema/validation.ts';

/** A stored dataset's cases, found by name (and version, default the latest). */
export interface EvalDatasetResolver {
  /** @throws an error naming the dataset when the tenant has none of that name (or version). */
  resolve(
    db: Kysely<Database>,
    tenantId: string,
    request: { dataset: string; version?: number },
  ): Promise<{ dataset: EvalDatasetRef; cases: EvalCase[] }>;
}

/**
 * The resolver `eval run --dataset <name>` uses. Until the dataset store is merged it knows no
 * dataset; at the merge it becomes a call of the store's `loadDatasetCases(db, tenantId, {dataset, version})`.
 */
export const evalDatasetResolver: EvalDatasetResolver = {
  async resolve(_db, _tenantId, { dataset }) {
    throw new ValidationError('--dataset', [
      `"${dataset}": no dataset store in this build; give a JSONL file of cases (a path ending in .jsonl)`,
    ]);
  },
};

/** Whether `--dataset` names a file of cases rather than a stored dataset. */
export function isCasesFile(dataset: string): boolean {
  return /\.jsonl$/i.test(dataset) || dataset.includes('/') || dataset.includes('\\');
}
