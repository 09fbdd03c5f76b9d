import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { compileRoutine } from '../compiler/index.ts';
import { decodeBpmnSource } from '../compiler/read-source.ts';
import { RoutineDefinition } from '../schema/routine.ts';
import { parseInput, ValidationError } from '../schema/validation.ts';

/**
 * Reads a routine file: a `.bpmn` model (its id is the main process id unless `id` is given)
 * or a `.json` routine definition.
 */
export async function readRoutineFile(
  path: string,
  overrides: { id?: string } = {},
): Promise<RoutineDefinition> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError('routine file', [
      `${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    ]);
  });
  const extension = extname(path).toLowerCase();
  if (extension === '.bpmn' || extension === '.xml')
    return bpmnDefinition(decodeBpmnSource(bytes), overrides.id);
  if (extension === '.json') return jsonDefinition(path, bytes.toString('utf8'), overrides.id);
  throw new ValidationError('routine file', [`${path}: use a .bpmn model or a .json routine definition`]);
}

async function bpmnDefinition(xml: string, id: string | undefined): Promise<RoutineDefinition> {
  const compiled = await compileRoutine({ kind: 'bpmn', xml });
  const main = compiled.processes[compiled.defaultProcessId];
  return parseInput(
    RoutineDefinition,
    {
      id: id ?? compiled.defaultProcessId,
      name: main?.name ?? compiled.defaultProcessId,
      body: { kind: 'bpmn', xml },
    },
    'routine',
  );
}

function jsonDefinition(path: string, text: string, id: string | undefined): RoutineDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('routine file', [`${path}: not valid JSON (${(error as Error).message})`]);
  }
  const definition = id === undefined ? value : { ...(value as object), id };
  return parseInput(RoutineDefinition, definition, `routine file ${path}`);
}

export function looksLikeRoutineFile(argument: string): boolean {
  return ['.bpmn', '.xml', '.json'].includes(extname(argument).toLowerCase());
}
