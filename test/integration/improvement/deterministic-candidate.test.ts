import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministic } from '../../../activities/improvement/optimizers/deterministic.ts';
import { listSteps } from '../../../activities/store/run-read-model.ts';
import type { EvidenceCase } from '../../../schema/improvement.ts';
import type { RoutineDefinition } from '../../../schema/routine.ts';
import { evidenceOf, scriptedContext } from '../../support/optimizer-context.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * Strategy evolution to deterministic on the dev server: the baseline's LLM step runs (and costs)
 * on every case; the optimizer's verified expression replaces it, and the candidate gives the same
 * outputs with that step costing nothing.
 */

let stack: TestStack;

const labels: Record<string, string> = {
  '2:10': '2 items: 10',
  '3:21': '3 items: 21',
  '1:10': '1 items: 10',
  '4:10': '4 items: 10',
};

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({
    deployment: {
      models: {
        labeller: {
          provider: 'scripted',
          turns: Object.entries(labels).map(([key, text]) => {
            const [quantity, subtotal] = key.split(':');
            return { match: `label for ${quantity} items costing ${subtotal} in total`, text };
          }),
        },
      },
      defaultModel: 'labeller',
      prices: { models: { labeller: { inputPer1k: 1, outputPer1k: 2 } } },
    },
  });
});
afterAll(() => stack?.stop());

const baseline: RoutineDefinition = {
  id: 'quote-label',
  body: {
    kind: 'sequence',
    steps: [
      { id: 'subtotal', expression: 'quantity * unitPrice', resultVariable: 'subtotal' },
      {
        id: 'label',
        prompt: 'Write the label for {{ quantity }} items costing {{ subtotal }} in total.',
        resultVariable: 'label',
      },
    ],
  },
};
const inputs = [
  { quantity: 2, unitPrice: 5 },
  { quantity: 3, unitPrice: 7 },
  { quantity: 1, unitPrice: 10 },
  { quantity: 4, unitPrice: 2.5 },
];

async function runAll(definition: RoutineDefinition) {
  await stack.client.registerRoutine(definition);
  const runs = [];
  for (const input of inputs) {
    const { runId } = await stack.client.startRun({ routineId: definition.id, input });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.status).toBe('completed');
    const label = (await listSteps(stack.client.db, runId)).find((step) => step.elementId === 'label');
    runs.push({ input, outputs: outcome.outputs ?? {}, runCredits: outcome.usage?.credits ?? 0, label });
  }
  return runs;
}

describe('a deterministic candidate on the dev server', () => {
  it('gives the baseline’s outputs on every case, and its former LLM step costs zero credits', async () => {
    const before = await runAll(baseline);
    for (const run of before) {
      expect(run.label?.usage?.credits).toBeGreaterThan(0);
      expect(run.runCredits).toBeGreaterThan(0);
    }
    const cases: EvidenceCase[] = before.map((run) => ({
      input: run.input,
      output: run.outputs,
      score: 1,
      reasons: [],
    }));
    const expression = 'string(quantity) + " items: " + string(subtotal)';
    const proposal = await deterministic().propose(
      evidenceOf(baseline, cases),
      scriptedContext([{ object: { expression, rationale: 'count and subtotal' } }]),
    );
    expect(proposal.candidates.map((candidate) => candidate.change)).toEqual([
      `step label: LLM replaced by the FEEL expression ${expression}, verified on 4 of 4 cases (count and subtotal)`,
    ]);

    const after = await runAll(proposal.candidates[0]?.definition as RoutineDefinition);
    expect(after.map((run) => run.outputs)).toEqual(before.map((run) => run.outputs));
    for (const run of after) {
      expect(run.label?.usage).toMatchObject({ inputTokens: 0, outputTokens: 0, credits: 0 });
      expect(run.runCredits).toBe(0);
    }
  });
});
