import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { type DatasetSplit, parseDatasetRef } from '../../../schema/dataset.ts';
import { parseDatasetJsonl } from '../../../schema/dataset-jsonl.ts';
import type { Database } from '../../../schema/db/tables.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { loadDatasetCases } from './load-dataset-cases.ts';

/** The cases a `--dataset` argument names, and where they came from. */
export type DatasetArgumentCases =
  | { kind: 'dataset'; datasetId: string; version: number; cases: EvalCase[] }
  | { kind: 'file'; file: string; cases: EvalCase[] };

/**
 * The cases of `--dataset <name[@version]|file.jsonl>`, as the eval CLI takes it: a text ending in
 * `.jsonl` (or holding a path separator) is a file read and parsed with parseDatasetJsonl (a file
 * has no splits, so `split` is refused there); anything else names a stored dataset of the tenant,
 * read with loadDatasetCases.
 *
 * @throws ValidationError when the file cannot be read or has bad lines (named by number and field),
 *   or a split is asked of a file; UnknownDatasetError, UnknownDatasetVersionError for a stored one.
 */
export async function loadDatasetArgument(
  db: Kysely<Database>,
  tenantId: string,
  argument: string,
  options: { split?: DatasetSplit; option?: string } = {},
): Promise<DatasetArgumentCases> {
  const option = options.option ?? '--dataset';
  if (argument.endsWith('.jsonl') || argument.includes('/') || argument.includes('\\')) {
    if (options.split) {
      throw new ValidationError(`${option} value`, [
        `${argument} is a file, which has no splits: store it (swarmflow datasets create) and split it, or leave the split out`,
      ]);
    }
    const text = await readFile(argument, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ValidationError(`${option} value`, [
        `cannot read ${argument}: ${error.code ?? error.message}`,
      ]);
    });
    return { kind: 'file', file: argument, cases: parseDatasetJsonl(text, `dataset file ${argument}`) };
  }
  const ref = parseDatasetRef(argument, `${option} value`);
  const loaded = await loadDatasetCases(db, tenantId, {
    dataset: ref.dataset,
    ...(ref.version ? { version: ref.version } : {}),
    ...(options.split ? { split: options.split } : {}),
  });
  return { kind: 'dataset', ...loaded };
}
