import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Agent } from '../schema/agent.ts';
import { parseInput, ValidationError } from '../schema/validation.ts';

const Team = z.array(Agent).min(1);

/** Reads a team file: a JSON array of agents; problems name the file and the field (`1.role`). */
export async function readTeamFile(path: string): Promise<Agent[]> {
  const subject = `team file ${path}`;
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(subject, [
      `(root): ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    ]);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(subject, [`(root): not valid JSON (${(error as Error).message})`]);
  }
  return parseInput(Team, value, `${subject} (a JSON array of agents)`);
}
