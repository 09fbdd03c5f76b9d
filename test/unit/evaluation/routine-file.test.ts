import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRoutineFile } from '../../../client/routine-files.ts';
import { ValidationError } from '../../../schema/validation.ts';

describe('a JSON routine file with evaluation sections', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'swarmflow-eval-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const write = async (name: string, definition: unknown) => {
    const path = join(folder, name);
    await writeFile(path, JSON.stringify(definition));
    return path;
  };

  it('reads the routine section, a step section and sections by element id, with defaults', async () => {
    const path = await write('order.json', {
      id: 'order',
      evaluation: { scorers: [{ kind: 'feel', assert: '= output.ok' }], liveSample: 0.05 },
      stepEvaluations: { greet: { scorers: [{ kind: 'judge', rubric: 'friendly' }] } },
      body: {
        kind: 'sequence',
        steps: [
          {
            id: 'greet',
            type: 'echo',
            evaluation: { scorers: [{ kind: 'jsonSchema', schema: { type: 'object' } }] },
          },
        ],
      },
    });
    const definition = await readRoutineFile(path);
    expect(definition.evaluation).toEqual({
      scorers: [{ kind: 'feel', assert: '= output.ok', weight: 1 }],
      passScore: 1,
      liveSample: 0.05,
    });
    expect(definition.stepEvaluations?.greet?.scorers[0]).toMatchObject({
      kind: 'judge',
      scale: { min: 1, max: 5 },
    });
    expect(
      definition.body.kind === 'sequence' && definition.body.steps[0]?.evaluation?.scorers[0]?.kind,
    ).toBe('jsonSchema');
  });

  it('refuses an invalid section, naming the field', async () => {
    const path = await write('bad.json', {
      id: 'bad',
      evaluation: { scorers: [{ kind: 'numeric', field: 'total' }], passScore: 2 },
      body: { kind: 'sequence', steps: [{ id: 'greet', type: 'echo' }] },
    });
    const error = await readRoutineFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('evaluation.scorers.0.tolerance');
    expect((error as Error).message).toContain('evaluation.passScore');
  });
});
