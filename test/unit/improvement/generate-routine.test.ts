import { describe, expect, it } from 'vitest';
import {
  generateRoutine,
  RoutineGenerationError,
} from '../../../activities/improvement/generation/generate-routine.ts';
import { parseGenerationAnswer } from '../../../activities/improvement/generation/generation-prompt.ts';
import { generationOptimizer } from '../../../activities/improvement/optimizers/generation.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import type { ScriptTurnInput } from '../../../schema/models.ts';

function scripted(turns: ScriptTurnInput[]) {
  const deployment = DeploymentConfig.parse({
    models: { writer: { provider: 'scripted', turns } },
    defaultModel: 'writer',
    prices: { models: { writer: { inputPer1k: 1, outputPer1k: 2 } } },
  });
  return {
    models: new ModelRegistry(deployment),
    breakers: new CircuitBreakers(),
    prices: deployment.prices,
  };
}

const request = {
  id: 'order_total',
  goal: 'Compute the order total from quantity and unit price',
  examples: [{ input: { quantity: 2, unitPrice: 10 }, expected: { total: 20 } }],
  taskTypes: ['echo', 'set'],
};

const broken = {
  id: 'whatever',
  body: {
    kind: 'sequence',
    steps: [{ id: 'total', expression: 'quantity * * unitPrice', resultVariable: 'total' }],
  },
};
const fixed = {
  id: 'whatever',
  body: {
    kind: 'sequence',
    steps: [{ id: 'total', expression: 'quantity * unitPrice', resultVariable: 'total' }],
  },
};

describe('routine generation', () => {
  it('feeds the compiler error back and returns the answer that compiles', async () => {
    const dependencies = scripted([
      { match: 'was rejected[\\s\\S]*step "total"', object: fixed },
      { object: broken },
    ]);
    const generated = await generateRoutine(dependencies, request);
    expect(generated.attempts).toBe(2);
    expect(generated.definition.id).toBe('order_total');
    expect(generated.definition.description).toBe(request.goal);
    expect(generated.compiled.processes.main?.elements.total).toBeDefined();
    const feedback = generated.messages.filter((message) => message.role === 'user')[1];
    expect(feedback?.text).toMatch(/the routine does not compile \(1 problem\)/);
    expect(feedback?.text).toMatch(/step "total": .*expression/);
    expect(generated.usage.credits).toBeGreaterThan(0);
    // The first prompt shows the goal, the example and the task types.
    const first = generated.messages[1]?.text ?? '';
    expect(first).toMatch(/Goal: Compute the order total/);
    expect(first).toMatch(/expected output: \{"total":20\}/);
    expect(first).toMatch(/Task types: echo, set/);
  });

  it('gives up after its attempts with the last problems', async () => {
    const dependencies = scripted([{ object: broken }, { object: broken }]);
    const failure = await generateRoutine(dependencies, request, { maxAttempts: 2 }).catch((e) => e);
    expect(failure).toBeInstanceOf(RoutineGenerationError);
    expect((failure as RoutineGenerationError).attempts).toBe(2);
    expect((failure as Error).message).toMatch(/no routine compiled after 2 answers[\s\S]*"total"/);
  });

  it('stops when its budget is spent', async () => {
    const dependencies = scripted([{ object: broken }, { object: fixed }]);
    const failure = await generateRoutine(dependencies, request, { budgetCredits: 0.000001 }).catch((e) => e);
    expect((failure as RoutineGenerationError).attempts).toBe(1);
    expect((failure as Error).message).toMatch(/budget/);
  });

  it('reads BPMN answers, fenced JSON, and says what is wrong with anything else', () => {
    const xml = '<bpmn:definitions xmlns:bpmn="x"><bpmn:process id="p" /></bpmn:definitions>';
    const bpmn = parseGenerationAnswer(`Here it is:\n\`\`\`xml\n${xml}\n\`\`\``, request);
    expect(bpmn).toEqual({
      definition: { id: 'order_total', description: request.goal, body: { kind: 'bpmn', xml } },
    });
    const json = parseGenerationAnswer(`\`\`\`json\n${JSON.stringify(fixed)}\n\`\`\``, request);
    expect('definition' in json && json.definition.id).toBe('order_total');
    expect(parseGenerationAnswer('I cannot', request)).toEqual({
      problems: expect.stringMatching(/no routine found/),
    });
    expect(parseGenerationAnswer('{"body": {"kind": "dag"}}', request)).toEqual({
      problems: expect.stringMatching(/body/),
    });
  });
});

describe('the generation optimizer', () => {
  const baseline = {
    id: 'order_total',
    name: 'Order total',
    description: 'Compute the order total from quantity and unit price',
    outputSchema: { type: 'object', required: ['total'] },
    stepEvaluations: { old_step: { passScore: 0.5, scorers: [{ kind: 'jsonSchema' as const, weight: 1 }] } },
    body: { kind: 'sequence' as const, steps: [{ id: 'old_step', type: 'echo' }] },
  };
  const evidence = {
    tenantId: 'acme',
    routineId: 'order_total',
    baseline: { version: 3, definition: baseline },
    cases: [{ input: { quantity: 2, unitPrice: 10 }, expected: { total: 20 }, score: 0, reasons: [] }],
    feedback: [],
    models: ['writer'],
  };

  it("proposes a fresh body for the routine's goal under its contract, metered", async () => {
    const context = {
      ...scripted([{ match: 'Its output schema[\\s\\S]*"total"', object: fixed }]),
      budgetCredits: 10,
    };
    const result = await generationOptimizer().propose(evidence, context);
    expect(result.candidates).toHaveLength(1);
    const [candidate] = result.candidates;
    expect(candidate?.optimizer).toBe('generation');
    expect(candidate?.change).toMatch(/^a new sequence routine drafted for "Compute the order total/);
    expect(candidate?.definition).toMatchObject({
      id: 'order_total',
      name: 'Order total',
      outputSchema: baseline.outputSchema,
      body: fixed.body,
    });
    expect(candidate?.definition.stepEvaluations).toBeUndefined();
    expect(result.usage.credits).toBeGreaterThan(0);
  });

  it('proposes nothing when no draft compiles within the budget, and reports what it spent', async () => {
    const context = { ...scripted([{ object: broken }]), budgetCredits: 0.000001 };
    const result = await generationOptimizer().propose(evidence, context);
    expect(result.candidates).toEqual([]);
    expect(result.usage.credits).toBeGreaterThan(0);
  });
});
