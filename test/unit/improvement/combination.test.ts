import { describe, expect, it } from 'vitest';
import { chainRoutines } from '../../../activities/improvement/combination/chain-routines.ts';
import {
  mergeVariants,
  type ScoredVariant,
} from '../../../activities/improvement/combination/merge-variants.ts';
import { combinationOptimizer } from '../../../activities/improvement/optimizers/combination.ts';
import { compileDefinition } from '../../../compiler/compile-definition.ts';
import type { ScorerResult } from '../../../schema/evaluation.ts';
import type { ImprovementEvidence } from '../../../schema/improvement.ts';
import type { RoutineDefinition, SequenceStep } from '../../../schema/routine.ts';

const quote = {
  id: 'quote',
  name: 'Quote',
  inputSchema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
  outputSchema: { type: 'object', properties: { price: { type: 'number' }, currency: { type: 'string' } } },
};
const invoice = {
  id: 'invoice',
  inputSchema: { type: 'object', required: ['price', 'currency'] },
  outputSchema: { type: 'object', properties: { invoiceId: { type: 'string' } } },
};

describe('chaining routines', () => {
  it('builds a BPMN routine calling both in sequence that compiles, the covered fields mapped across', async () => {
    const definition = chainRoutines(quote, invoice, ['price', 'currency']);
    expect(definition).toMatchObject({
      id: 'quote_then_invoice',
      name: 'Quote, then invoice',
      inputSchema: quote.inputSchema,
      outputSchema: invoice.outputSchema,
    });
    const { compiled } = await compileDefinition(definition);
    const graph = compiled.processes[compiled.defaultProcessId];
    const first = graph?.elements.call_first;
    const second = graph?.elements.call_second;
    expect(first).toMatchObject({
      kind: 'callActivity',
      processId: '"quote"', // a FEEL string literal
      propagateAllChildVariables: false,
      outputs: [
        { source: 'price', target: 'price' },
        { source: 'currency', target: 'currency' },
      ],
    });
    expect(second).toMatchObject({
      kind: 'callActivity',
      processId: '"invoice"',
      propagateAllParentVariables: true,
      inputs: [
        { source: 'price', target: 'price' },
        { source: 'currency', target: 'currency' },
      ],
    });
    expect(Object.values(graph?.flows ?? {}).map((flow) => `${flow.source}->${flow.target}`)).toEqual([
      'start->call_first',
      'call_first->call_second',
      'call_second->end',
    ]);
  });

  it('lets every variable flow when a field is no FEEL name', async () => {
    const { compiled } = await compileDefinition(chainRoutines(quote, invoice, ['unit price']));
    const graph = compiled.processes[compiled.defaultProcessId];
    expect(graph?.elements.call_first).toMatchObject({ propagateAllChildVariables: true, outputs: [] });
  });
});

const step = (id: string, expression: string): SequenceStep => ({ id, expression, resultVariable: id });
const routine = (steps: SequenceStep[]): RoutineDefinition => ({
  id: 'pricing',
  body: { kind: 'sequence', steps },
});
const reason = (name: string, score: number): ScorerResult => ({
  name,
  kind: 'feel',
  score,
  weight: 1,
  reason: '',
});
const variant = (
  version: number,
  steps: SequenceStep[],
  cases: [n: number, score: number, reasons?: ScorerResult[]][],
): ScoredVariant => ({
  version,
  definition: routine(steps),
  cases: cases.map(([n, score, reasons = []]) => ({ input: { n }, score, reasons })),
});

describe('merging variants', () => {
  const a = [step('parse', 'n'), step('price', 'parse * 2'), step('round', 'floor(price)')];
  const b = [step('parse', 'n + 0'), step('price', 'parse * 3'), step('round', 'floor(price)')];

  it('takes each differing step from the variant whose step scores are better where they differ', () => {
    const merged = mergeVariants(
      variant(1, a, [
        [1, 0.6, [reason('parse/ok', 1), reason('price/ok', 0)]],
        [2, 0.6, [reason('parse/ok', 1), reason('price/ok', 0)]],
      ]),
      variant(2, b, [
        [1, 0.5, [reason('parse/ok', 0), reason('price/ok', 1)]],
        [2, 0.5, [reason('parse/ok', 0), reason('price/ok', 1)]],
        [3, 1],
      ]),
    );
    expect(merged?.picks).toEqual([
      { stepId: 'parse', version: 1 },
      { stepId: 'price', version: 2 },
    ]);
    const steps = merged?.definition.body.kind === 'sequence' ? merged.definition.body.steps : [];
    expect(steps.map((s) => s.expression)).toEqual(['n', 'parse * 3', 'floor(price)']);
  });

  it('without step scores, compares the case scores where they differ; one winner for all is no merge', () => {
    expect(
      mergeVariants(
        variant(1, a, [
          [1, 1],
          [2, 0.2],
        ]),
        variant(2, b, [
          [1, 1],
          [2, 0.9],
        ]),
      ),
    ).toBeUndefined();
  });

  it('merges nothing for other step lists, no differing step, or no paired case', () => {
    expect(mergeVariants(variant(1, a, [[1, 1]]), variant(2, a.slice(0, 2), [[1, 1]]))).toBeUndefined();
    expect(mergeVariants(variant(1, a, [[1, 1]]), variant(2, a, [[1, 0]]))).toBeUndefined();
    expect(mergeVariants(variant(1, a, [[1, 1]]), variant(2, b, [[2, 1]]))).toBeUndefined();
  });
});

describe('the combination optimizer', () => {
  it('proposes the chains the insights found and the merge of a better-scored variant', async () => {
    const baseline = routine([step('parse', 'n'), step('price', 'parse * 2')]);
    const other = variant(
      2,
      [step('parse', 'n + 0'), step('price', 'parse * 3')],
      [[1, 0.5, [reason('parse/ok', 0), reason('price/ok', 1)]]],
    );
    const evidence: ImprovementEvidence = {
      tenantId: 'acme',
      routineId: 'pricing',
      baseline: { version: 1, definition: baseline },
      cases: [{ input: { n: 1 }, score: 0.6, reasons: [reason('parse/ok', 1), reason('price/ok', 0)] }],
      feedback: [],
      models: [],
      insights: {
        routineId: 'pricing',
        since: null,
        runs: 4,
        failedRuns: 0,
        failureClusters: [],
        outliers: [],
        deterministicCandidates: [],
        chainCandidates: [
          {
            before: 'pricing',
            after: 'invoice',
            inSwarms: 0,
            backToBack: 3,
            chainedInputs: 3,
            coveredFields: ['price'],
          },
          {
            before: 'gone',
            after: 'pricing',
            inSwarms: 2,
            backToBack: 0,
            chainedInputs: 0,
            coveredFields: [],
          },
        ],
        notes: [],
      },
    };
    const optimizer = combinationOptimizer({
      routine: async (_tenant, id) => (id === 'invoice' ? invoice : undefined),
      variants: async (_tenant, id, except) => (id === 'pricing' && except === 1 ? [other] : []),
    });
    const result = await optimizer.propose(evidence, undefined as never);
    expect(result.usage.credits).toBe(0);
    expect(result.candidates.map((c) => [c.definition.id, c.change])).toEqual([
      [
        'pricing_then_invoice',
        'new routine pricing_then_invoice: calls pricing, then invoice with its output (price)',
      ],
      ['pricing', 'steps of versions 1 and 2 merged: parse from v1, price from v2'],
    ]);
  });
});
