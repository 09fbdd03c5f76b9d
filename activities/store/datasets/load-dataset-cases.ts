import type { Kysely } from 'kysely';
import { type DatasetSplit, StoredCase } from '../../../schema/dataset.ts';
import type { Database } from '../../../schema/db/tables.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';
import { similarIds } from '../similar-ids.ts';
import { UnknownDatasetError, UnknownDatasetVersionError } from './dataset-errors.ts';

export interface DatasetCasesRequest {
  /** The dataset's name. */
  dataset: string;
  /** Default: the latest version. */
  version?: number;
  /** Only the cases of this split; default all of them. A version never split has none in either. */
  split?: DatasetSplit;
}

export interface DatasetCases {
  datasetId: string;
  /** The version read (the latest, when the request named none). */
  version: number;
  cases: EvalCase[];
}

/**
 * The cases of one version of a tenant's dataset, in their order: what an eval run scores.
 * Versions are immutable, so the same (dataset, version, split) always gives the same cases.
 *
 * Works on the owner's database (filtering by `tenantId`) and on a tenant-scoped one (row-level
 * security), where another tenant's dataset is unknown.
 *
 * @throws UnknownDatasetError (with similar names) when the tenant has no such dataset;
 * @throws UnknownDatasetVersionError when the dataset has no such version.
 */
export async function loadDatasetCases(
  db: Kysely<Database>,
  tenantId: string,
  request: DatasetCasesRequest,
): Promise<DatasetCases> {
  const { version, cases } = await loadStoredCases(db, tenantId, request);
  return { datasetId: request.dataset, version, cases: cases.map(({ ordinal: _, split: __, ...c }) => c) };
}

/** As loadDatasetCases, with each case's ordinal and split. */
export async function loadStoredCases(
  db: Kysely<Database>,
  tenantId: string,
  request: DatasetCasesRequest,
): Promise<{ version: number; cases: StoredCase[] }> {
  const version = await resolveVersion(db, tenantId, request.dataset, request.version);
  let query = db
    .selectFrom('dataset_cases')
    .select(['ordinal', 'input', 'expected', 'tags', 'split', 'source_run_id'])
    .where('tenant_id', '=', tenantId)
    .where('dataset_id', '=', request.dataset)
    .where('version', '=', version)
    .orderBy('ordinal');
  if (request.split) query = query.where('split', '=', request.split);
  const rows = await query.execute();
  return {
    version,
    cases: rows.map((row) =>
      StoredCase.parse({
        ordinal: row.ordinal,
        split: row.split,
        input: row.input,
        ...(row.expected === null ? {} : { expected: row.expected }),
        ...(row.tags.length > 0 ? { tags: row.tags } : {}),
        ...(row.source_run_id === null ? {} : { sourceRunId: row.source_run_id }),
      }),
    ),
  };
}

/**
 * The version `version` names (default the latest) of the tenant's dataset.
 * @throws UnknownDatasetError, UnknownDatasetVersionError.
 */
export async function resolveVersion(
  db: Kysely<Database>,
  tenantId: string,
  datasetId: string,
  version: number | undefined,
): Promise<number> {
  const dataset = await db
    .selectFrom('datasets')
    .select('latest_version')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', datasetId)
    .executeTakeFirst();
  if (!dataset) {
    const names = await db.selectFrom('datasets').select('id').where('tenant_id', '=', tenantId).execute();
    throw new UnknownDatasetError(
      datasetId,
      similarIds(
        datasetId,
        names.map((n) => n.id),
      ),
    );
  }
  if (version === undefined) return dataset.latest_version;
  if (version > dataset.latest_version) {
    throw new UnknownDatasetVersionError(datasetId, version, dataset.latest_version);
  }
  return version;
}
