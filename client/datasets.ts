import type { Kysely } from 'kysely';
import { DatasetStore } from '../activities/store/datasets/dataset-store.ts';
import {
  type CreatedDatasetVersion,
  type DatasetOptions,
  type DatasetReadOptions,
  DatasetSource,
  type DatasetSummary,
  type DatasetVersionCases,
  type DatasetVersionInfo,
  type SplitDatasetVersion,
  type SplitRequest,
} from '../schema/dataset.ts';
import type { Database } from '../schema/db/tables.ts';
import type { EvalCase } from '../schema/evaluation.ts';
import { parseInput } from '../schema/validation.ts';
import type { DatasetsOperations } from './remote/datasets-operations.ts';

/**
 * The tenant's datasets on PostgreSQL (`client.datasets` of the direct SDK); see DatasetsOperations
 * for what each method throws. `createdBy` names who acts (the API server passes the caller).
 */
export class DatasetsApi implements DatasetsOperations {
  private readonly store: DatasetStore;

  constructor(
    db: Kysely<Database>,
    tenantId: string,
    private readonly createdBy?: string,
  ) {
    this.store = new DatasetStore(db, tenantId);
  }

  private get by(): Pick<DatasetOptions, 'createdBy'> {
    return this.createdBy === undefined ? {} : { createdBy: this.createdBy };
  }

  create(
    name: string,
    source: DatasetSource,
    options: Omit<DatasetOptions, 'createdBy'> = {},
  ): Promise<CreatedDatasetVersion> {
    const parsed = parseInput(DatasetSource, source, 'dataset source');
    const opts = { ...options, ...this.by };
    if ('cases' in parsed) return this.store.create(name, parsed.cases, { kind: 'manual' }, opts);
    if ('jsonl' in parsed)
      return this.store.createFromJsonl(name, parsed.jsonl, {
        ...opts,
        ...(parsed.file ? { file: parsed.file } : {}),
      });
    return this.store.createFromRuns(name, parsed.runs, opts);
  }

  add(name: string, cases: EvalCase[]): Promise<CreatedDatasetVersion> {
    return this.store.add(name, cases, this.by);
  }

  split(name: string, request: SplitRequest): Promise<SplitDatasetVersion> {
    return this.store.split(name, request, this.by);
  }

  list(): Promise<DatasetSummary[]> {
    return this.store.list();
  }

  versions(name: string): Promise<DatasetVersionInfo[]> {
    return this.store.versions(name);
  }

  show(name: string, options: DatasetReadOptions = {}): Promise<DatasetVersionCases> {
    return this.store.show(name, options);
  }

  export(name: string, options: DatasetReadOptions = {}): Promise<string> {
    return this.store.export(name, options);
  }
}
