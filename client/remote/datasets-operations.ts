import type {
  CreatedDatasetVersion,
  DatasetOptions,
  DatasetReadOptions,
  DatasetSource,
  DatasetSummary,
  DatasetVersionCases,
  DatasetVersionInfo,
  SplitDatasetVersion,
  SplitRequest,
} from '../../schema/dataset.ts';
import type { EvalCase } from '../../schema/evaluation.ts';

/**
 * The tenant's datasets, as both SDKs offer them (`client.datasets`): the direct one on
 * PostgreSQL (`client/datasets.ts`) and the remote one on the REST API. Every change writes a new,
 * immutable version. Types only.
 *
 * Errors: ValidationError for a bad name, case, filter or option (naming the field, or the JSONL
 * line and field); UnknownDatasetError (naming similar names) and UnknownDatasetVersionError.
 */
export interface DatasetsOperations {
  /** A new version of the dataset (its first, when new) holding the source's cases. */
  create(
    name: string,
    source: DatasetSource,
    options?: Omit<DatasetOptions, 'createdBy'>,
  ): Promise<CreatedDatasetVersion>;
  /** A new version: the latest one's cases followed by these. */
  add(name: string, cases: EvalCase[]): Promise<CreatedDatasetVersion>;
  /** A new version with a version's cases split into train and validation by a seeded hash. */
  split(name: string, request: SplitRequest): Promise<SplitDatasetVersion>;
  list(): Promise<DatasetSummary[]>;
  /** The dataset's versions, oldest first, with how each was made. */
  versions(name: string): Promise<DatasetVersionInfo[]>;
  /** One version (default the latest) with its cases, or one split's. */
  show(name: string, options?: DatasetReadOptions): Promise<DatasetVersionCases>;
  /** One version's cases as JSON lines, the format `create` takes. */
  export(name: string, options?: DatasetReadOptions): Promise<string>;
}
