import type { Kysely, Transaction } from 'kysely';
import {
  type CreatedDatasetVersion,
  DatasetName,
  DatasetOptions,
  type DatasetSplit,
  type DatasetSummary,
  type DatasetVersionCases,
  type DatasetVersionInfo,
  RunCaseFilter,
  type RunCaseFilterInput,
  type SplitDatasetVersion,
  SplitRequest,
  type StoredCase,
} from '../../../schema/dataset.ts';
import { formatDatasetJsonl, parseDatasetJsonl } from '../../../schema/dataset-jsonl.ts';
import { splitOfCase } from '../../../schema/dataset-split.ts';
import type { Database, DatasetOrigin } from '../../../schema/db/tables.ts';
import { EvalCase } from '../../../schema/evaluation.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { loadStoredCases, resolveVersion } from './load-dataset-cases.ts';
import { runsAsCases } from './runs-as-cases.ts';

/** Cases written in one insert; PostgreSQL takes at most 65535 parameters a statement. */
const insertBatch = 500;

/**
 * A tenant's datasets: named lists of eval cases, versioned in PostgreSQL. A version never
 * changes once written; every change (new cases, new cases added by hand, a split) writes the next
 * version, so an eval that names `orders@3` always scores the same cases.
 *
 * `db` is the owner's database (each query filters by tenant) or a tenant-scoped one under row-level
 * security (`TenantDatabases.forTenant`, `withTenant`); on the latter another tenant's dataset does
 * not exist. Writes run in one transaction (or in `db`'s, when it is one).
 */
export class DatasetStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
  ) {}

  /**
   * A new version holding `cases`: the first of a new dataset, or the next of an existing one.
   * @throws ValidationError for a bad name, case or option, or no cases.
   */
  async create(
    name: string,
    cases: readonly EvalCase[],
    origin: DatasetOrigin,
    options: DatasetOptions = {},
  ): Promise<CreatedDatasetVersion> {
    const datasetId = parseInput(DatasetName, name, 'dataset name');
    const parsed = parseInput(EvalCase.array(), cases, 'dataset cases');
    if (parsed.length === 0) throw new ValidationError('dataset cases', ['no cases: give at least one']);
    const opts = parseInput(DatasetOptions, options, 'dataset options');
    return this.inTransaction(async (trx) => {
      const version = await this.nextVersion(trx, datasetId, opts);
      await this.writeVersion(trx, datasetId, version, origin, opts.createdBy, parsed.map(unsplit));
      return { datasetId, version, caseCount: parsed.length };
    });
  }

  /**
   * A new version from JSON lines (see parseDatasetJsonl); `file` is kept in the origin.
   * @throws ValidationError naming each bad line and field.
   */
  async createFromJsonl(
    name: string,
    text: string,
    options: DatasetOptions & { file?: string } = {},
  ): Promise<CreatedDatasetVersion> {
    const { file, ...rest } = options;
    const cases = parseDatasetJsonl(text, file ? `dataset file ${file}` : 'dataset JSONL');
    return this.create(name, cases, { kind: 'jsonl', ...(file ? { file } : {}) }, rest);
  }

  /**
   * A new version from the tenant's recorded runs that `filter` selects (see RunCaseFilter); the
   * filter is kept in the origin. The dataset's routine is the filter's unless options name one.
   * @throws ValidationError for a bad filter, or when no run matches it.
   */
  async createFromRuns(
    name: string,
    filter: RunCaseFilterInput,
    options: DatasetOptions = {},
  ): Promise<CreatedDatasetVersion> {
    const parsed = parseInput(RunCaseFilter, filter, 'run filter');
    const cases = await runsAsCases(this.db, this.tenantId, parsed);
    if (cases.length === 0) {
      throw new ValidationError('run filter', [
        `no recorded run of routine "${parsed.routineId}" matches it: widen the filter (version, status, time, score, feedback)`,
      ]);
    }
    const origin: DatasetOrigin = { kind: 'runs', filter: JSON.parse(JSON.stringify(parsed)) };
    return this.create(name, cases, origin, { routineId: parsed.routineId, ...options });
  }

  /**
   * A new version: the latest version's cases (splits kept) followed by `cases` (unsplit).
   * @throws UnknownDatasetError; ValidationError for a bad case or none.
   */
  async add(
    name: string,
    cases: readonly EvalCase[],
    options: Pick<DatasetOptions, 'createdBy'> = {},
  ): Promise<CreatedDatasetVersion> {
    const datasetId = parseInput(DatasetName, name, 'dataset name');
    const added = parseInput(EvalCase.array(), cases, 'dataset cases');
    if (added.length === 0) throw new ValidationError('dataset cases', ['no cases: give at least one']);
    const opts = parseInput(DatasetOptions, options, 'dataset options');
    return this.inTransaction(async (trx) => {
      await resolveVersion(trx, this.tenantId, datasetId, undefined);
      const version = await this.nextVersion(trx, datasetId, {});
      const previous = await loadStoredCases(trx, this.tenantId, {
        dataset: datasetId,
        version: version - 1,
      });
      const all = [...previous.cases.map(({ ordinal: _, ...c }) => c), ...added.map(unsplit)];
      await this.writeVersion(trx, datasetId, version, { kind: 'manual' }, opts.createdBy, all);
      return { datasetId, version, caseCount: all.length } satisfies CreatedDatasetVersion;
    });
  }

  /**
   * A new version with a version's cases (default the latest) split into train and validation by a
   * seeded hash of each case (see splitOfCase): the same seed splits the same cases the same way.
   * @throws UnknownDatasetError, UnknownDatasetVersionError; ValidationError for a bad share or seed.
   */
  async split(
    name: string,
    request: SplitRequest,
    options: Pick<DatasetOptions, 'createdBy'> = {},
  ): Promise<SplitDatasetVersion> {
    const datasetId = parseInput(DatasetName, name, 'dataset name');
    const { validationShare, seed, version: from } = parseInput(SplitRequest, request, 'split');
    const opts = parseInput(DatasetOptions, options, 'dataset options');
    return this.inTransaction(async (trx) => {
      const source = await loadStoredCases(trx, this.tenantId, { dataset: datasetId, version: from });
      const version = await this.nextVersion(trx, datasetId, {});
      const cases = source.cases.map(({ ordinal: _, ...c }) => ({
        ...c,
        split: splitOfCase(c, validationShare, seed),
      }));
      const origin: DatasetOrigin = { kind: 'split', fromVersion: source.version, validationShare, seed };
      await this.writeVersion(trx, datasetId, version, origin, opts.createdBy, cases);
      const counts = { train: 0, validation: 0 };
      for (const c of cases) counts[c.split] += 1;
      return { datasetId, version, caseCount: cases.length, ...counts };
    });
  }

  /** The tenant's datasets, by name, with their latest version's case count. */
  async list(): Promise<DatasetSummary[]> {
    const rows = await this.db
      .selectFrom('datasets as d')
      .innerJoin('dataset_versions as v', (join) =>
        join
          .onRef('v.tenant_id', '=', 'd.tenant_id')
          .onRef('v.dataset_id', '=', 'd.id')
          .onRef('v.version', '=', 'd.latest_version'),
      )
      .select(['d.id', 'd.description', 'd.routine_id', 'd.latest_version', 'd.updated_at', 'v.case_count'])
      .where('d.tenant_id', '=', this.tenantId)
      .orderBy('d.id')
      .execute();
    return rows.map((row) => ({
      datasetId: row.id,
      description: row.description,
      routineId: row.routine_id,
      latestVersion: row.latest_version,
      caseCount: row.case_count,
      updatedAt: row.updated_at,
    }));
  }

  /** The dataset's versions, oldest first. @throws UnknownDatasetError. */
  async versions(name: string): Promise<DatasetVersionInfo[]> {
    await resolveVersion(this.db, this.tenantId, name, undefined);
    const rows = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('dataset_id', '=', name)
      .orderBy('version')
      .execute();
    return rows.map(versionInfo);
  }

  /**
   * One version (default the latest) with its cases, or only those of `split`.
   * @throws UnknownDatasetError, UnknownDatasetVersionError.
   */
  async show(
    name: string,
    options: { version?: number; split?: DatasetSplit } = {},
  ): Promise<DatasetVersionCases> {
    const { version, cases } = await loadStoredCases(this.db, this.tenantId, { dataset: name, ...options });
    const row = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('dataset_id', '=', name)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    return { ...versionInfo(row), cases };
  }

  /** One version's cases (default the latest; or one split) as JSON lines. @throws as show. */
  async export(name: string, options: { version?: number; split?: DatasetSplit } = {}): Promise<string> {
    const { cases } = await loadStoredCases(this.db, this.tenantId, { dataset: name, ...options });
    return formatDatasetJsonl(cases.map(({ ordinal: _, split: __, ...c }) => c));
  }

  private inTransaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction
      ? work(this.db)
      : this.db.transaction().execute((trx: Transaction<Database>) => work(trx));
  }

  /**
   * Takes the dataset's next version number: creates the dataset at version 1, or moves its
   * latest version on by one. The row stays locked to the end of the transaction, so two writers
   * of one dataset take turns and never share a number.
   */
  private async nextVersion(
    trx: Kysely<Database>,
    datasetId: string,
    options: { description?: string | undefined; routineId?: string | undefined },
  ): Promise<number> {
    const row = await trx
      .insertInto('datasets')
      .values({
        tenant_id: this.tenantId,
        id: datasetId,
        description: options.description ?? null,
        routine_id: options.routineId ?? null,
        latest_version: 1,
      })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          latest_version: eb('datasets.latest_version', '+', 1),
          updated_at: new Date(),
          ...(options.description === undefined ? {} : { description: options.description }),
          ...(options.routineId === undefined ? {} : { routine_id: options.routineId }),
        })),
      )
      .returning('latest_version')
      .executeTakeFirstOrThrow();
    return row.latest_version;
  }

  private async writeVersion(
    trx: Kysely<Database>,
    datasetId: string,
    version: number,
    origin: DatasetOrigin,
    createdBy: string | undefined,
    cases: readonly Omit<StoredCase, 'ordinal'>[],
  ): Promise<void> {
    await trx
      .insertInto('dataset_versions')
      .values({
        tenant_id: this.tenantId,
        dataset_id: datasetId,
        version,
        origin: JSON.stringify(origin),
        case_count: cases.length,
        created_by: createdBy ?? null,
      })
      .execute();
    for (let start = 0; start < cases.length; start += insertBatch) {
      await trx
        .insertInto('dataset_cases')
        .values(
          cases.slice(start, start + insertBatch).map((c, i) => ({
            tenant_id: this.tenantId,
            dataset_id: datasetId,
            version,
            ordinal: start + i,
            input: JSON.stringify(c.input),
            expected: c.expected === undefined ? null : JSON.stringify(c.expected),
            tags: JSON.stringify(c.tags ?? []),
            split: c.split,
            source_run_id: c.sourceRunId ?? null,
          })),
        )
        .execute();
    }
  }
}

const unsplit = (c: EvalCase): Omit<StoredCase, 'ordinal'> => ({ ...c, split: null });

function versionInfo(row: {
  dataset_id: string;
  version: number;
  origin: DatasetOrigin;
  case_count: number;
  created_by: string | null;
  created_at: Date;
}): DatasetVersionInfo {
  return {
    datasetId: row.dataset_id,
    version: row.version,
    origin: row.origin,
    caseCount: row.case_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
