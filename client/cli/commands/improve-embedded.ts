import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../../../schema/validation.ts';
import { looksLikeRoutineFile, readRoutineFile } from '../../routine-files.ts';
import type { SwarmflowClient } from '../../sdk.ts';

/**
 * What `improve run --embedded <file> --dataset <cases.jsonl>` needs on its empty throwaway stack:
 * the cases stored as the dataset `<routine>-cases`, and the routine registered with its
 * improvement section naming that dataset, so the cycle evaluates the baseline and its candidates
 * on them. Returns the routine's id.
 * @throws ValidationError when the routine is no routine file, or a file cannot be read or parsed.
 */
export async function registerEmbeddedCycleRoutine(
  client: SwarmflowClient,
  routineFile: string,
  casesFile: string,
): Promise<string> {
  if (!looksLikeRoutineFile(routineFile)) {
    throw new ValidationError('improve run arguments', [
      `routine: --embedded starts an empty stack; give a routine file (.bpmn or .json), not "${routineFile}"`,
    ]);
  }
  const definition = await readRoutineFile(routineFile);
  const jsonl = await readFile(casesFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError('improve run arguments', [
      `--dataset: cannot read ${casesFile}: ${error.code ?? error.message}`,
    ]);
  });
  const dataset = `${definition.id}-cases`;
  await client.datasets.create(dataset, { jsonl, file: basename(casesFile) });
  const registered = await client.registerRoutine({
    ...definition,
    improvement: { ...definition.improvement, dataset },
  });
  return registered.id;
}
