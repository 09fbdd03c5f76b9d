import { readFile } from 'node:fs/promises';
import { parseDatasetRef } from '../schema/dataset.ts';
import { parseDatasetJsonl } from '../schema/dataset-jsonl.ts';
import type { EvalDatasetRef } from '../schema/eval-run.ts';
import type { EvalCase } from '../schema/evaluation.ts';
import { ValidationError } from '../schema/validation.ts';
import type { SwarmflowApi } from './remote/swarmflow-api.ts';

/** The cases `--dataset` names, and the stored dataset they came from (none for a file). */
export interface EvalCasesSource {
  cases: EvalCase[];
  dataset?: EvalDatasetRef;
}

/** Whether `--dataset` names a file of cases rather than a stored dataset. */
export function isCasesFile(dataset: string): boolean {
  return /\.jsonl$/i.test(dataset) || dataset.includes('/') || dataset.includes('\\');
}

/**
 * The cases of `--dataset <name[@version]|file.jsonl>`: a file is read here and parsed as dataset
 * JSON lines; a name is a stored dataset of the caller's tenant, read through the client (direct or
 * remote alike), at `@version`, else `version`, else its latest.
 *
 * @throws ValidationError when the file cannot be read or has bad lines (each named by number and
 *   field); UnknownDatasetError or UnknownDatasetVersionError for a stored dataset that is not there.
 */
export async function loadEvalCases(
  client: SwarmflowApi,
  dataset: string,
  version?: number,
): Promise<EvalCasesSource> {
  if (isCasesFile(dataset)) {
    const text = await readFile(dataset, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ValidationError('--dataset', [`cannot read ${dataset}: ${error.code ?? error.message}`]);
    });
    return { cases: parseDatasetJsonl(text, dataset) };
  }
  const ref = parseDatasetRef(dataset, '--dataset');
  const wanted = ref.version ?? version;
  const stored = await client.datasets.show(ref.dataset, wanted === undefined ? {} : { version: wanted });
  const cases = stored.cases.map(({ ordinal: _ordinal, split: _split, ...evalCase }) => evalCase);
  return { cases, dataset: { id: stored.datasetId, version: stored.version } };
}
