import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type CompileProblem,
  compileRoutine,
  decodeBpmnSource,
  RoutineCompileError,
} from '../../../compiler/index.ts';
import { CompiledRoutine } from '../../../schema/graph.ts';

// The BPMN MIWG reference models live next to the repository, not in it (see their README).
const directory = fileURLToPath(new URL('../../../../shared/bpmn-miwg/', import.meta.url));
const models = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.bpmn')) : [];

type Outcome = { compiled: CompiledRoutine } | { problems: readonly CompileProblem[] };

async function compileModel(name: string): Promise<Outcome> {
  try {
    const xml = decodeBpmnSource(readFileSync(`${directory}${name}`));
    return { compiled: await compileRoutine({ kind: 'bpmn', xml }) };
  } catch (error) {
    if (error instanceof RoutineCompileError) return { problems: error.problems };
    throw error;
  }
}

async function problemsOf(name: string): Promise<string[]> {
  const outcome = await compileModel(name);
  return 'problems' in outcome
    ? outcome.problems.map((p) => `${p.elementType} ${p.elementId}: ${p.message}`)
    : [];
}

describe.skipIf(models.length === 0)('BPMN MIWG reference models', () => {
  it.each(models)('%s compiles or is rejected naming each element', async (name) => {
    const outcome = await compileModel(name);
    if ('compiled' in outcome) {
      expect(CompiledRoutine.parse(outcome.compiled)).toEqual(outcome.compiled);
      return;
    }
    expect(outcome.problems.length).toBeGreaterThan(0);
    for (const problem of outcome.problems) {
      expect(problem.elementId, problem.message).toEqual(expect.any(String));
      expect(problem.elementType, problem.message).toMatch(/^bpmn:[A-Z]\w+$/);
      expect(problem.message).not.toMatch(/encoding/);
    }
  });

  it('compiles A.1.0, whose only process is a plain sequence of tasks', async () => {
    const outcome = await compileModel('A.1.0.bpmn');
    expect('compiled' in outcome && Object.keys(outcome.compiled.processes)).toEqual(['WFP-6-']);
  });

  it('reports the unresolved references of C.8.1', async () => {
    expect(await problemsOf('C.8.1.bpmn')).toContain(
      'bpmn:Operation _83f1c680-7e06-4a9a-9206-396ed8155a71: outMessageRef points to "triso:unspecified", which does not exist',
    );
  });

  it('rejects the unsupported elements of the Camunda 8 models', async () => {
    expect(await problemsOf('C.9.2.bpmn')).toEqual(
      expect.arrayContaining([
        'bpmn:UserTask UserTask_DecideOnApplication: not supported yet',
        'bpmn:BoundaryEvent TimerEvent_Timeout: not supported yet',
        'bpmn:EndEvent ErrorEndEvent_Timeout: error end events are not supported yet',
      ]),
    );
  });

  it('rejects conditions in other expression languages', async () => {
    expect(await problemsOf('C.1.0.bpmn')).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Camunda 7 (JUEL) condition, not a template
      'bpmn:SequenceFlow invoiceApproved: condition "${approved}" must be a FEEL expression starting with "="',
    );
  });
});
