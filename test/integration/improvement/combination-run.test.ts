import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCombinationSources } from '../../../activities/improvement/combination/combination-sources.ts';
import { combinationOptimizer } from '../../../activities/improvement/optimizers/combination.ts';
import type { ImprovementEvidence } from '../../../schema/improvement.ts';
import { RoutineDefinition, type RoutineDefinitionInput } from '../../../schema/routine.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

/**
 * The combination optimizer's chain, read from the store and registered like any routine, runs:
 * its call activities resolve the two registered routines, and the second gets the first's output.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ tenantId: `combination-${process.pid}` });
  await stack.startWorker();
});
afterAll(() => stack?.stop());

const quote: RoutineDefinitionInput = {
  id: 'quote',
  name: 'Quote',
  inputSchema: { type: 'object', required: ['quantity'], properties: { quantity: { type: 'integer' } } },
  outputSchema: { type: 'object', properties: { price: { type: 'number' } } },
  body: {
    kind: 'sequence',
    steps: [
      { id: 'price', expression: 'quantity * 5', resultVariable: 'price' },
      { id: 'scratch', expression: '"internal"', resultVariable: 'scratch' },
    ],
  },
};
const invoice: RoutineDefinitionInput = {
  id: 'invoice',
  inputSchema: { type: 'object', required: ['price'], properties: { price: { type: 'number' } } },
  outputSchema: { type: 'object', properties: { line: { type: 'string' } } },
  body: {
    kind: 'sequence',
    steps: [{ id: 'line', expression: '"total " + string(price)', resultVariable: 'line' }],
  },
};

describe('a combined routine', { timeout: 120_000 }, () => {
  it('calls the first routine, then the second with its output', async () => {
    await stack.client.registerRoutine(quote);
    await stack.client.registerRoutine(invoice);
    const baseline = await stack.client.getRoutine('quote');
    const evidence: ImprovementEvidence = {
      tenantId: stack.config.tenantId,
      routineId: 'quote',
      baseline: { version: baseline.version, definition: RoutineDefinition.parse(quote) },
      cases: [],
      feedback: [],
      models: [],
      insights: {
        routineId: 'quote',
        since: null,
        runs: 4,
        failedRuns: 0,
        failureClusters: [],
        outliers: [],
        deterministicCandidates: [],
        chainCandidates: [
          {
            before: 'quote',
            after: 'invoice',
            inSwarms: 0,
            backToBack: 2,
            chainedInputs: 2,
            coveredFields: ['price'],
          },
        ],
        notes: [],
      },
    };
    const optimizer = combinationOptimizer(storeCombinationSources(stack.client.db));
    const { candidates } = await optimizer.propose(evidence, undefined as never);
    const [chain] = candidates;
    expect(chain?.definition.id).toBe('quote_then_invoice');
    expect(chain?.definition.outputSchema).toEqual(invoice.outputSchema);

    const registered = await stack.client.registerRoutine(chain?.definition as RoutineDefinitionInput);
    const { runId } = await stack.client.startRun({ routineId: registered.id, input: { quantity: 3 } });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.outputs).toMatchObject({ quantity: 3, price: 15, line: 'total 15' });
    // Only the covered field came back from the first call.
    expect(outcome.outputs).not.toHaveProperty('scratch');
  });
});
