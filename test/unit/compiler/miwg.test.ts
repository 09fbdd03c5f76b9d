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
const models = existsSync(directory)
  ? readdirSync(directory)
      .filter((name) => name.endsWith('.bpmn'))
      .sort()
  : [];

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

  it("compiles the models within Zeebe's coverage: A.1.0, A.4.x and the Camunda 8 models C.9.x", async () => {
    const compiled = [];
    for (const name of models) if ('compiled' in (await compileModel(name))) compiled.push(name);
    expect(compiled).toEqual([
      'A.1.0.bpmn',
      'A.4.0.bpmn',
      'A.4.1.bpmn',
      'C.9.0.bpmn',
      'C.9.1.bpmn',
      'C.9.2.bpmn',
    ]);
  });

  it('compiles C.9.2: a user task with a timer boundary event and three event sub-processes', async () => {
    const outcome = await compileModel('C.9.2.bpmn');
    const graph = 'compiled' in outcome ? outcome.compiled.processes.ManualCheck : undefined;
    expect(graph?.eventSubProcesses).toEqual(['Activity_0uvp3cb', 'Activity_1esx1s7', 'Activity_02a6b2h']);
    expect(graph?.elements.UserTask_DecideOnApplication).toMatchObject({
      kind: 'userTask',
      candidateGroups: '["clerks"]',
      formKey: 'camunda-forms:bpmn:userTaskForm_2s8lq02',
      boundaryEvents: ['TimerEvent_Timeout'],
    });
    expect(graph?.elements.CallActivity_RequestDocument).toMatchObject({
      scope: 'Activity_0uvp3cb',
      processId: '"requestDocument_en"',
      multiInstance: { sequential: false, inputCollection: 'documents', inputElement: 'document' },
    });
  });

  it('compiles C.9.0, its DMN decision becoming the task type decision:risk_check', async () => {
    expect(await problemsOf('C.9.0.bpmn')).toEqual([]);
  });

  it('reports the unresolved references of C.8.1', async () => {
    expect(await problemsOf('C.8.1.bpmn')).toContain(
      'bpmn:Operation _83f1c680-7e06-4a9a-9206-396ed8155a71: outMessageRef points to "triso:unspecified", which does not exist',
    );
  });

  it('rejects conditions in other expression languages', async () => {
    expect(await problemsOf('C.1.0.bpmn')).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Camunda 7 (JUEL) condition, not a template
      'bpmn:SequenceFlow invoiceApproved: condition "${approved}" must be a FEEL expression starting with "="',
    );
  });
});
