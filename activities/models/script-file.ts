import { readFileSync } from 'node:fs';
import { ScriptFile, type ScriptTurn } from '../../schema/models.ts';
import { parseInput } from '../../schema/validation.ts';
import { ConfigurationError } from '../resilience/errors.ts';

/** The turns of a script file (`{ "turns": [...] }`); errors name the file and the field at fault. */
export function readScriptFile(path: string): ScriptTurn[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`scripted model: cannot read ${path}: ${(error as Error).message}`);
  }
  return parseInput(ScriptFile, json, `script ${path}`).turns;
}
