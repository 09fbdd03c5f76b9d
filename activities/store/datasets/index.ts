/**
 * Datasets: versioned, tenant-scoped eval cases in PostgreSQL.
 *
 * For an eval run (or anything else that scores cases):
 * - `loadDatasetCases(db, tenantId, { dataset, version?, split? })` → `{ datasetId, version, cases }`;
 * - `loadDatasetArgument(db, tenantId, '--dataset' value)` → a stored dataset's or a JSONL file's cases;
 * - `parseDatasetJsonl(text)` (schema/dataset-jsonl.ts) → `EvalCase[]`, errors naming line and field.
 *
 * To build and change them: `DatasetStore` (create from cases, JSONL or recorded runs; add; split;
 * list; show; export). Every change writes a new, immutable version.
 */

export { formatDatasetJsonl, parseDatasetJsonl } from '../../../schema/dataset-jsonl.ts';
export { type DatasetArgumentCases, loadDatasetArgument } from './dataset-argument.ts';
export { UnknownDatasetError, UnknownDatasetVersionError } from './dataset-errors.ts';
export { DatasetStore } from './dataset-store.ts';
export { type DatasetCases, type DatasetCasesRequest, loadDatasetCases } from './load-dataset-cases.ts';
