import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../../../compiler/compile-definition.ts';
import { diffRoutines } from '../../../compiler/diff-routines.ts';
import { unifiedDiff } from '../../../compiler/unified-diff.ts';
import {
  RoutineDefinition,
  type RoutineDefinitionInput,
  type RoutineVersion,
  type SequenceStep,
} from '../../../schema/routine.ts';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';

/** A stored version as the store returns it, from a definition. */
async function version(input: RoutineDefinitionInput, number: number): Promise<RoutineVersion> {
  const definition = RoutineDefinition.parse(input);
  const { compiled } = await compileDefinition(definition);
  const body = definition.body;
  return {
    tenantId: 'acme',
    id: definition.id,
    version: number,
    name: definition.name ?? definition.id,
    description: definition.description ?? null,
    kind: body.kind,
    source: body.kind === 'bpmn' ? body.xml : JSON.stringify(body.steps),
    compiled,
    hash: `hash-${number}-${JSON.stringify(body).length}`,
    inputSchema: definition.inputSchema ?? null,
    outputSchema: definition.outputSchema ?? null,
    limits: definition.limits ?? {},
    evaluation: definition.evaluation ?? null,
    stepEvaluations: {},
    createdAt: new Date(0),
  };
}

const total: SequenceStep = { id: 'total', expression: 'quantity * unitPrice', resultVariable: 'total' };
const label: SequenceStep = {
  id: 'label',
  expression: 'if total > 100 then "large" else "small"',
  resultVariable: 'label',
};
const log: SequenceStep = { id: 'log', type: 'echo' };
const steps = [total, label, log];

describe('routine diff', () => {
  it('shows a sequence routine step by step, with the metadata that changed', async () => {
    const a = await version({ id: 'quote', name: 'Quote', body: { kind: 'sequence', steps } }, 1);
    const b = await version(
      {
        id: 'quote',
        name: 'Quote',
        description: 'prices an order',
        limits: { maxSteps: 20 },
        body: {
          kind: 'sequence',
          steps: [
            { ...total, expression: 'quantity * unitPrice * 0.9' },
            label,
            { id: 'notify', type: 'set', headers: { sent: '=true' } },
          ],
        },
      },
      2,
    );
    const diff = diffRoutines(a, b);
    expect(diff.identical).toBe(false);
    expect(diff.metadata).toEqual([
      { field: 'description', to: 'prices an order' },
      { field: 'limits', to: expect.objectContaining({ maxSteps: 20 }) },
    ]);
    expect(diff.steps).toEqual([
      {
        id: 'total',
        change: 'changed',
        kind: 'expression',
        fields: [{ field: 'expression', from: 'quantity * unitPrice', to: 'quantity * unitPrice * 0.9' }],
      },
      { id: 'notify', change: 'added', kind: 'type', fields: [] },
      { id: 'log', change: 'removed', kind: 'type', fields: [] },
    ]);
    expect(diff.stepOrderChanged).toBe(false);
    expect(diff.elements).toBeUndefined();
    expect(diff.sourceDiff).toMatch(/^--- quote@1\n\+\+\+ quote@2\n@@ /);
    expect(diff.sourceDiff).toMatch(/^-\s+"expression": "quantity \* unitPrice",$/m);
    expect(diff.sourceDiff).toMatch(/^\+\s+"expression": "quantity \* unitPrice \* 0.9",$/m);
  });

  it('notices reordered steps, and a version against itself is identical', async () => {
    const a = await version({ id: 'quote', body: { kind: 'sequence', steps } }, 1);
    const b = await version({ id: 'quote', body: { kind: 'sequence', steps: [label, total, log] } }, 2);
    expect(diffRoutines(a, b)).toMatchObject({ steps: [], stepOrderChanged: true });
    const same = diffRoutines(a, a);
    expect(same).toMatchObject({ identical: true, metadata: [], steps: [], sourceDiff: '' });
  });

  it('shows a BPMN routine by element and flow id from the compiled graph', async () => {
    const xmlA = bpmnProcess(`<bpmn:startEvent id="start" />
      ${scriptTask('total', 'quantity * unitPrice', 'total')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'total'], ['total', 'end'])}`);
    const xmlB = bpmnProcess(`<bpmn:startEvent id="start" />
      ${scriptTask('total', 'quantity * unitPrice * 2', 'total')}
      ${scriptTask('label', '"big"', 'label')}
      <bpmn:endEvent id="end" />
      ${flows(['start', 'total'], ['total', 'label'], ['label', 'end'])}`);
    const diff = diffRoutines(
      await version({ id: 'quote', body: { kind: 'bpmn', xml: xmlA } }, 1),
      await version({ id: 'quote', body: { kind: 'bpmn', xml: xmlB } }, 2),
    );
    expect(diff.steps).toBeUndefined();
    expect(diff.elements?.map(({ id, change }) => `${change} ${id}`)).toEqual([
      'changed total',
      'added label',
    ]);
    const total = diff.elements?.find((element) => element.id === 'total');
    expect(total?.fields.map((field) => field.field)).toContain('work');
    expect(diff.flows?.map(({ id, change }) => `${change} ${id}`)).toEqual([
      'added total_to_label',
      'added label_to_end',
      'removed total_to_end',
    ]);
    expect(diff.sourceDiff).toMatch(/^\+.*scriptTask id="label"/m);
  });
});

describe('unified diff', () => {
  it('gives hunks with context and line numbers, and nothing for equal texts', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].join('\n');
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10', '11'].join('\n');
    expect(unifiedDiff(a, b)).toBe(
      '--- a\n+++ b\n@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n 10\n+11\n',
    );
    expect(unifiedDiff(a, a)).toBe('');
  });
});
