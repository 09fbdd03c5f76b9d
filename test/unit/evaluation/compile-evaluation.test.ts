import { describe, expect, it } from 'vitest';
import { versionHash } from '../../../compiler/hash.ts';
import {
  compileEvaluation,
  compileRoutine,
  formatProblem,
  RoutineCompileError,
} from '../../../compiler/index.ts';
import { RoutineDefinition, type RoutineDefinitionInput } from '../../../schema/routine.ts';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';

async function compile(input: RoutineDefinitionInput) {
  const definition = RoutineDefinition.parse(input);
  return compileEvaluation(definition, await compileRoutine(definition.body));
}

async function problems(input: RoutineDefinitionInput): Promise<string[]> {
  const error = await compile(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RoutineCompileError);
  return (error as RoutineCompileError).problems.map(formatProblem);
}

const price = { id: 'price', expression: 'quantity * unitPrice', resultVariable: 'total' };
const write = { id: 'write', prompt: 'Describe {{ total }}' };

describe('evaluation sections at registration', () => {
  it('stores the routine section on top and the steps sections by id', async () => {
    const stored = await compile({
      id: 'r',
      outputSchema: { type: 'object' },
      evaluation: {
        scorers: [{ kind: 'jsonSchema' }, { kind: 'feel', assert: '= output.total > 0' }],
        liveSample: 0.1,
      },
      body: {
        kind: 'sequence',
        steps: [price, { ...write, evaluation: { scorers: [{ kind: 'judge', rubric: 'polite' }] } }],
      },
    });
    expect(stored).toMatchObject({
      scorers: [{ kind: 'jsonSchema' }, { kind: 'feel' }],
      passScore: 1,
      liveSample: 0.1,
      steps: { write: { scorers: [{ kind: 'judge', rubric: 'polite', scale: { min: 1, max: 5 } }] } },
    });
  });

  it('gives nothing for a routine without sections, whose hash stays its source hash', async () => {
    const definition = { id: 'r', body: { kind: 'sequence' as const, steps: [price] } };
    expect(await compile(definition)).toBeUndefined();
    const parsed = RoutineDefinition.parse(definition);
    const withSection = await compile({
      ...definition,
      evaluation: { scorers: [{ kind: 'feel', assert: 'true' }] },
    });
    expect(versionHash(parsed.body, undefined)).not.toBe(versionHash(parsed.body, withSection));
  });

  it('keeps only step sections with an empty routine scorer list', async () => {
    const stored = await compile({
      id: 'r',
      stepEvaluations: { price: { scorers: [{ kind: 'feel', assert: 'output.total >= 0' }] } },
      body: { kind: 'sequence', steps: [price] },
    });
    expect(stored).toMatchObject({ scorers: [], steps: { price: { passScore: 1 } } });
  });

  it('reports a FEEL assertion that does not parse, naming the field', async () => {
    expect(
      await problems({
        id: 'r',
        evaluation: { scorers: [{ kind: 'match' }, { kind: 'feel', assert: '= output.total >' }] },
        body: { kind: 'sequence', steps: [price] },
      }),
    ).toEqual(['"evaluation.scorers[1].assert": "output.total >" is not valid FEEL: it ends too early']);
  });

  it('reports a step the routine does not have, listing its steps', async () => {
    expect(
      await problems({
        id: 'r',
        stepEvaluations: { prices: { scorers: [{ kind: 'judge', rubric: 'x' }] } },
        body: { kind: 'sequence', steps: [price] },
      }),
    ).toEqual(['"stepEvaluations.prices": the routine has no step "prices"; its steps are price']);
  });

  it('reports a jsonSchema scorer with no schema to check against', async () => {
    expect(
      await problems({
        id: 'r',
        evaluation: { scorers: [{ kind: 'jsonSchema' }] },
        body: {
          kind: 'sequence',
          steps: [{ ...write, evaluation: { scorers: [{ kind: 'jsonSchema' }] } }],
        },
      }),
    ).toEqual([
      '"evaluation.scorers[0].schema": give the schema to check against; the routine has no "outputSchema"',
      'step "write": "body.steps[0].evaluation.scorers[0].schema": give the schema to check against; the step has none',
    ]);
  });

  it('reports an invalid scorer schema, duplicate scorer names, and step scorers that need an expected output', async () => {
    expect(
      await problems({
        id: 'r',
        evaluation: {
          scorers: [
            { kind: 'jsonSchema', schema: { type: 'nonsense' } },
            { kind: 'feel', assert: 'true', name: 'check' },
            { kind: 'feel', assert: 'false', name: 'check' },
          ],
        },
        stepEvaluations: { price: { scorers: [{ kind: 'numeric', field: 'total', tolerance: 1 }] } },
        body: { kind: 'sequence', steps: [price] },
      }),
    ).toEqual([
      expect.stringMatching(/^"evaluation.scorers\[0\].schema": not a valid JSON Schema: /),
      '"evaluation.scorers[2]": another scorer is called "check"; give each one its own "name"',
      'step "price": "stepEvaluations.price.scorers[0]": a "numeric" scorer needs an expected output, and a step has none; use jsonSchema, feel or judge',
    ]);
  });

  it('reports a step given a section twice', async () => {
    expect(
      await problems({
        id: 'r',
        stepEvaluations: { price: { scorers: [{ kind: 'feel', assert: 'true' }] } },
        body: {
          kind: 'sequence',
          steps: [{ ...price, evaluation: { scorers: [{ kind: 'feel', assert: 'true' }] } }],
        },
      }),
    ).toEqual([
      'step "price": "stepEvaluations.price": the step already has "body.steps[0].evaluation"; give one of them',
    ]);
  });

  it('takes a BPMN task section by element id, with the task output schema', async () => {
    const xml = bpmnProcess(
      `<bpmn:startEvent id="start" />
${serviceTask('lookup', 'echo')}
<bpmn:endEvent id="end" />
${flows(['start', 'lookup'], ['lookup', 'end'])}`,
    );
    const stored = await compile({
      id: 'r',
      stepEvaluations: { lookup: { scorers: [{ kind: 'feel', assert: 'output != null' }] } },
      body: { kind: 'bpmn', xml },
    });
    expect(Object.keys(stored?.steps ?? {})).toEqual(['lookup']);
    expect(
      await problems({
        id: 'r',
        stepEvaluations: { lookup: { scorers: [{ kind: 'jsonSchema' }] } },
        body: { kind: 'bpmn', xml },
      }),
    ).toEqual([
      'step "lookup": "stepEvaluations.lookup.scorers[0].schema": give the schema to check against; the step has none',
    ]);
  });
});
