import { describe, expect, it } from 'vitest';
import { reflectivePrompt } from '../../../activities/improvement/optimizers/reflective-prompt.ts';
import { compileRoutine } from '../../../compiler/index.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { evidenceOf, reason, scriptedContext } from '../../support/optimizer-context.ts';

const routine = {
  id: 'triage',
  body: {
    kind: 'sequence' as const,
    steps: [{ id: 'classify', prompt: 'Classify the ticket: {{ ticket }}', resultVariable: 'category' }],
  },
};

const cases = [
  {
    input: { ticket: 'I want my money back' },
    output: { ticket: 'I want my money back', category: 'tech' },
    expected: { category: 'billing' },
    score: 0,
    reasons: [reason('category: expected "billing", got "tech"')],
  },
  {
    input: { ticket: 'Refund my last invoice' },
    output: { ticket: 'Refund my last invoice', category: 'other' },
    expected: { category: 'billing' },
    score: 0,
    reasons: [reason('category: expected "billing", got "other"')],
  },
  {
    input: { ticket: 'The app crashes' },
    output: { ticket: 'The app crashes', category: 'tech' },
    expected: { category: 'tech' },
    score: 1,
    reasons: [reason('all fields match', 1)],
  },
];

const better = 'Classify the ticket as "billing" (refunds, invoices, money) or "tech": {{ ticket }}';
const other = 'Answer "billing" when the ticket mentions refunds or money, else "tech". Ticket: {{ ticket }}';

function promptOf(definition: RoutineDefinition): string | undefined {
  return definition.body.kind === 'sequence' ? definition.body.steps[0]?.prompt : undefined;
}

describe('the reflective prompt optimizer', () => {
  it('proposes improved instructions from the failing cases and the scorers’ reasons, k of them, all different', async () => {
    const context = scriptedContext([
      // The second mutation is shown the first and asked for a different one.
      {
        match: 'already proposed[\\s\\S]*refunds, invoices',
        object: { instruction: other, rationale: 'a rule for money' },
      },
      // The model is only answered when it was shown the instruction, the failing cases with their reasons and a passing case.
      {
        match:
          'Classify the ticket: \\{\\{ ticket \\}\\}[\\s\\S]*Failing case 1[\\s\\S]*money back[\\s\\S]*expected "billing", got "tech"[\\s\\S]*Passing case 1[\\s\\S]*crashes',
        object: { instruction: better, rationale: 'names the categories and what billing covers' },
      },
    ]);
    const result = await reflectivePrompt({ mutations: 2 }).propose(evidenceOf(routine, cases), context);
    expect(result.candidates.map((candidate) => promptOf(candidate.definition))).toEqual([better, other]);
    expect(result.candidates[0]?.change).toBe(
      'step classify: instruction rewritten (2 failing cases): names the categories and what billing covers',
    );
    expect(result.candidates.every((candidate) => candidate.optimizer === 'reflectivePrompt')).toBe(true);
    for (const candidate of result.candidates) await compileRoutine(candidate.definition.body);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.credits).toBeGreaterThan(0);
  });

  it('sends back an instruction that drops a placeholder, and counts both calls', async () => {
    const context = scriptedContext([
      {
        match: 'keep the placeholders \\{\\{ ticket \\}\\}',
        object: { instruction: better, rationale: 'fixed' },
      },
      { object: { instruction: 'Classify the ticket as billing or tech.', rationale: 'shorter' } },
    ]);
    const result = await reflectivePrompt({ mutations: 1 }).propose(evidenceOf(routine, cases), context);
    expect(result.candidates.map((candidate) => promptOf(candidate.definition))).toEqual([better]);
  });

  it('stops before the budget would be exceeded', async () => {
    const turns = [
      { match: 'already proposed', object: { instruction: other, rationale: 'another' } },
      { object: { instruction: better, rationale: 'names the categories' } },
    ];
    const none = await reflectivePrompt({ mutations: 3 }).propose(
      evidenceOf(routine, cases),
      scriptedContext(turns, { budgetCredits: 0.5 }),
    );
    expect(none.candidates).toEqual([]);
    expect(none.usage.credits).toBe(0);

    const all = await reflectivePrompt({ mutations: 2 }).propose(
      evidenceOf(routine, cases),
      scriptedContext(turns),
    );
    expect(all.candidates).toHaveLength(2);
    const budget = all.usage.credits * 1.2;
    const some = await reflectivePrompt({ mutations: 2 }).propose(
      evidenceOf(routine, cases),
      scriptedContext(turns, { budgetCredits: budget }),
    );
    expect(some.candidates).toHaveLength(1);
    expect(some.usage.credits).toBeLessThanOrEqual(budget);
  });

  it('mutates the variants on the Pareto front across cases, not only the baseline', async () => {
    const variantPrompt = 'Classify as billing or tech: {{ ticket }}';
    const variant = {
      ...routine,
      body: {
        kind: 'sequence' as const,
        steps: [{ ...routine.body.steps[0], prompt: variantPrompt, model: 'thinker' }],
      },
    };
    const context = scriptedContext([
      {
        match: '<instruction>\\nClassify as billing or tech',
        object: { instruction: other, rationale: 'from the variant' },
      },
      { object: { instruction: better, rationale: 'from the baseline' } },
    ]);
    // The variant passes the refund case the baseline fails, and fails the one it passes: both on the front.
    const variants = [
      {
        definition: variant as never,
        cases: [
          { input: { ticket: 'Refund my last invoice' }, score: 1 },
          { input: { ticket: 'The app crashes' }, score: 0 },
        ],
      },
    ];
    const result = await reflectivePrompt({ mutations: 2 }).propose(
      evidenceOf(routine, cases, { variants }),
      context,
    );
    expect(result.candidates.map((candidate) => candidate.change)).toEqual([
      'step classify: instruction rewritten (2 failing cases): from the baseline',
      'step classify: instruction rewritten (2 failing cases): from the variant',
    ]);
    const fromVariant = result.candidates[1]?.definition.body;
    expect(fromVariant?.kind === 'sequence' && fromVariant.steps[0]).toMatchObject({
      prompt: other,
      model: 'thinker',
    });
  });

  it('has nothing to reflect on when every case passes', async () => {
    const passing = cases.filter((c) => c.score === 1);
    const result = await reflectivePrompt().propose(
      evidenceOf(routine, passing),
      scriptedContext([{ text: 'unused' }]),
    );
    expect(result).toEqual({ candidates: [], usage: expect.objectContaining({ credits: 0 }) });
  });
});
