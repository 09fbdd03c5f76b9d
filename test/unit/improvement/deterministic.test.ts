import { describe, expect, it } from 'vitest';
import { deterministic } from '../../../activities/improvement/optimizers/deterministic.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import type { EvidenceCase } from '../../../schema/improvement.ts';
import { selectStrategy } from '../../../schema/strategy.ts';
import { evaluateFeel } from '../../../workflows/feel.ts';
import { evidenceOf, scriptedContext } from '../../support/optimizer-context.ts';

const routine = {
  id: 'quote',
  body: {
    kind: 'sequence' as const,
    steps: [
      { id: 'subtotal', expression: 'quantity * unitPrice', resultVariable: 'subtotal' },
      {
        id: 'label',
        prompt: 'Write the label for {{ quantity }} items costing {{ subtotal }} in total.',
        resultVariable: 'label',
        model: 'thinker',
      },
    ],
  },
};

function quote(quantity: number, unitPrice: number): EvidenceCase {
  const subtotal = quantity * unitPrice;
  const label = `${quantity} items: ${subtotal}`;
  return {
    input: { quantity, unitPrice },
    output: { quantity, unitPrice, subtotal, label },
    score: 1,
    reasons: [],
  };
}
const cases = [quote(2, 5), quote(3, 7), quote(1, 10), quote(4, 2.5)];

const right = 'string(quantity) + " items: " + string(subtotal)';
const wrong = 'string(quantity) + " items: " + string(unitPrice)';

describe('the deterministic optimizer', () => {
  it('replaces an LLM step by a FEEL expression verified on every case, after feeding back a case it got wrong', async () => {
    const context = scriptedContext([
      {
        match:
          'is wrong on input[\\s\\S]*"subtotal":10[\\s\\S]*gave "2 items: 5"[\\s\\S]*answer is "2 items: 10"',
        object: { expression: right, rationale: 'the count and the subtotal' },
      },
      // The first attempt is told the step's prompt, its input variables and every recorded case.
      {
        match: 'Write the label[\\s\\S]*quantity, unitPrice, subtotal[\\s\\S]*"4 items: 10"',
        object: { expression: `= ${wrong}`, rationale: 'the count and the price' },
      },
    ]);
    const result = await deterministic().propose(evidenceOf(routine, cases), context);
    expect(result.candidates).toHaveLength(1);
    const [candidate] = result.candidates;
    expect(candidate?.optimizer).toBe('deterministic');
    expect(candidate?.change).toBe(
      `step label: LLM replaced by the FEEL expression ${right}, verified on 4 of 4 cases (the count and the subtotal)`,
    );
    const body = candidate?.definition.body;
    if (body?.kind !== 'sequence') throw new Error('expected a sequence');
    const step = body.steps[1];
    // An expression step: no prompt, no model; the strategy rule runs it deterministically.
    expect(step).toEqual({ id: 'label', expression: right, resultVariable: 'label' });
    expect(selectStrategy({ prompt: step?.prompt, hasWork: true }).strategy).toBe('deterministic');
    const compiled = await compileRoutine(body);
    expect(compiled.processes.main?.elements.label).toMatchObject({
      work: { kind: 'script', expression: right },
    });
    // Verified on every case: it gives each recorded answer.
    for (const c of cases) {
      const output = c.output as Record<string, unknown>;
      expect(evaluateFeel(right, output)).toBe(output.label);
    }
    expect(result.usage.credits).toBeGreaterThan(0);
  });

  it('rejects an expression that stays wrong after the bounded feedback', async () => {
    const context = scriptedContext([
      { object: { expression: wrong, rationale: 'the count and the price' } },
    ]);
    const result = await deterministic({ feedbackRounds: 2 }).propose(evidenceOf(routine, cases), context);
    expect(result.candidates).toEqual([]);
    const once = await deterministic({ feedbackRounds: 0 }).propose(
      evidenceOf(routine, cases),
      scriptedContext([{ object: { expression: wrong, rationale: 'x' } }]),
    );
    // Three calls (the first and two with feedback) cost more than one.
    expect(result.usage.inputTokens).toBeGreaterThan(2 * once.usage.inputTokens);
  });

  it('leaves a step whose answers differ for the same input', async () => {
    const varying = [
      ...cases,
      { ...quote(2, 5), output: { quantity: 2, unitPrice: 5, subtotal: 10, label: 'two' } },
    ];
    const context = () => scriptedContext([{ object: { expression: right, rationale: 'x' } }]);
    expect((await deterministic().propose(evidenceOf(routine, varying), context())).candidates).toEqual([]);
    expect((await deterministic().propose(evidenceOf(routine, varying), context())).usage.credits).toBe(0);
  });

  it('asks nothing when the budget does not allow a call', async () => {
    const context = scriptedContext([{ object: { expression: right, rationale: 'x' } }], {
      budgetCredits: 0.01,
    });
    expect(await deterministic().propose(evidenceOf(routine, cases), context)).toMatchObject({
      candidates: [],
      usage: { inputTokens: 0, credits: 0 },
    });
  });

  it('leaves a step whose answer is not recorded on every case', async () => {
    const unrecorded = [...cases, { input: { quantity: 9, unitPrice: 1 }, score: 1, reasons: [] }];
    const context = scriptedContext([{ object: { expression: right, rationale: 'x' } }]);
    const result = await deterministic().propose(evidenceOf(routine, unrecorded), context);
    expect(result).toMatchObject({ candidates: [], usage: { credits: 0 } });
  });
});
