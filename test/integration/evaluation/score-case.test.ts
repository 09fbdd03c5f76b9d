import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreCaseInput } from '../../../activities/evaluation/contract.ts';
import { type EvaluationDependencies, scoreCase } from '../../../activities/evaluation/index.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { compileAndRegisterRoutine } from '../../../activities/store/routine-registration.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { listSteps, recordRunStarted, recordStep } from '../../../activities/store/run-read-model.ts';
import { creditsUsedSince } from '../../../activities/store/tenant-credits.ts';
import { RoutineCompileError } from '../../../compiler/index.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import type { Variables } from '../../../schema/json.ts';
import { RoutineDefinition, type RoutineDefinitionInput } from '../../../schema/routine.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

const tenantId = 'default';

/** An order routine: price it with FEEL, then an LLM step writes a confirmation. */
const orderRoutine: RoutineDefinitionInput = {
  id: 'order-confirmation',
  outputSchema: { type: 'object', required: ['total', 'message'] },
  evaluation: {
    passScore: 0.8,
    scorers: [
      { kind: 'jsonSchema' },
      { kind: 'feel', name: 'total', assert: '= output.total = input.quantity * input.unitPrice', weight: 2 },
      { kind: 'match', fields: ['total'] },
      { kind: 'judge', name: 'tone', rubric: 'The message is polite and names the total.' },
    ],
  },
  stepEvaluations: {
    write: {
      scorers: [
        { kind: 'judge', name: 'clarity', rubric: 'The confirmation is clear.', scale: { min: 0, max: 10 } },
      ],
    },
    price: { scorers: [{ kind: 'feel', assert: 'output = input.quantity * input.unitPrice' }] },
  },
  body: {
    kind: 'sequence',
    steps: [
      { id: 'price', expression: 'quantity * unitPrice', resultVariable: 'total' },
      { id: 'write', prompt: 'Confirm an order of {{ total }}' },
    ],
  },
};

describe('scoreCase on PostgreSQL', () => {
  let database: TestDatabase;
  let store: RoutineStore;
  let dependencies: EvaluationDependencies;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new RoutineStore(database.db);
    const deployment = DeploymentConfig.parse({
      models: {
        judge: {
          provider: 'scripted',
          turns: [
            {
              match: 'polite and names the total',
              object: { grade: 4, reason: 'polite, but the total lacks a currency' },
            },
            { match: 'confirmation is clear', object: { grade: 10, reason: 'clear' } },
          ],
        },
      },
      defaultModel: 'judge',
      prices: { models: { judge: { inputPer1k: 1, outputPer1k: 1 } } },
    });
    dependencies = {
      db: database.db,
      models: new ModelRegistry(deployment),
      breakers: new CircuitBreakers(),
      prices: deployment.prices,
    };
  });
  afterAll(() => database?.drop());

  const register = (definition: RoutineDefinitionInput) =>
    compileAndRegisterRoutine(store, tenantId, RoutineDefinition.parse(definition));

  async function recordRun(runId: string, steps: Record<string, Variables>) {
    await recordRunStarted(database.db, {
      runId,
      tenantId,
      routineId: 'order-confirmation',
      routineVersion: 1,
      processId: 'main',
      workflowId: `run/${runId}`,
      input: {},
    });
    let second = 0;
    for (const [elementId, output] of Object.entries(steps)) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, second++));
      await recordStep(database.db, {
        runId,
        stepKey: `${elementId}#1`,
        tenantId,
        elementId,
        elementType: elementId === 'write' ? 'serviceTask' : 'scriptTask',
        status: 'completed',
        attempt: 1,
        startedAt: at,
        endedAt: at,
        durationMs: 0,
        output,
      });
    }
  }

  const orderCase = (overrides: Partial<ScoreCaseInput> = {}): ScoreCaseInput => ({
    tenantId,
    routineId: 'order-confirmation',
    version: 1,
    input: { quantity: 3, unitPrice: 2.5 },
    output: { total: 7.5, message: 'Thank you! Your order of 7.5 is confirmed.' },
    expected: { total: 7.5 },
    mode: 'eval',
    ...overrides,
  });

  it('stores the sections with the version and shows them on it', async () => {
    expect(await register(orderRoutine)).toEqual({ version: 1, created: true });
    const version = await store.get(tenantId, 'order-confirmation', 1);
    expect(version.evaluation?.passScore).toBe(0.8);
    expect(version.evaluation?.scorers.map((scorer) => scorer.kind)).toEqual([
      'jsonSchema',
      'feel',
      'match',
      'judge',
    ]);
    expect(Object.keys(version.stepEvaluations).sort()).toEqual(['price', 'write']);
    // The same definition again is the same version; a changed evaluation is a new one.
    expect(await register(orderRoutine)).toEqual({ version: 1, created: false });
    const stricter = { ...orderRoutine, evaluation: { ...orderRoutine.evaluation, passScore: 1 } };
    expect(await register(stricter as RoutineDefinitionInput)).toEqual({ version: 2, created: true });
  });

  it('refuses a routine whose evaluation section is invalid, naming the field', async () => {
    const error = await register({
      ...orderRoutine,
      id: 'broken',
      evaluation: { scorers: [{ kind: 'feel', assert: 'output.total =' }] },
      stepEvaluations: { pricing: { scorers: [{ kind: 'feel', assert: 'true' }] } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutineCompileError);
    expect((error as Error).message).toContain(
      '"evaluation.scorers[0].assert": "output.total =" is not valid FEEL',
    );
    expect((error as Error).message).toContain(
      '"stepEvaluations.pricing": the routine has no step "pricing"',
    );
    expect(await store.list(tenantId)).not.toContainEqual(expect.objectContaining({ id: 'broken' }));
  });

  it('scores the routine and its steps, and charges the judges to the run and its tenant', async () => {
    await recordRun('run-1', { price: { total: 7.5 }, write: { answer: 'Order of 7.5 confirmed.' } });
    const since = new Date(Date.now() - 60_000);
    const before = await creditsUsedSince(database.db, tenantId, since);
    const scored = await scoreCase(dependencies, orderCase({ runId: 'run-1' }), signal);
    expect(scored).not.toBeNull();
    if (!scored) return;
    const routine = scored.reasons.filter((reason) => !reason.name.includes('/'));
    expect(routine).toEqual([
      {
        name: 'jsonSchema',
        kind: 'jsonSchema',
        score: 1,
        weight: 1,
        reason: 'the output conforms to the schema',
      },
      {
        name: 'total',
        kind: 'feel',
        score: 1,
        weight: 2,
        reason: '"output.total = input.quantity * input.unitPrice" holds',
      },
      { name: 'match', kind: 'match', score: 1, weight: 1, reason: '1 of 1 expected fields match' },
      {
        name: 'tone',
        kind: 'judge',
        score: 0.75,
        weight: 1,
        reason: 'graded 4 on 1-5: polite, but the total lacks a currency',
      },
    ]);
    expect(scored.steps).toEqual([
      {
        elementId: 'price',
        score: { score: 1, passed: true, reasons: [expect.objectContaining({ name: 'feel', score: 1 })] },
      },
      {
        elementId: 'write',
        score: {
          score: 1,
          passed: true,
          reasons: [
            { name: 'clarity', kind: 'judge', score: 1, weight: 1, reason: 'graded 10 on 0-10: clear' },
          ],
        },
      },
    ]);
    expect(scored.reasons.map((reason) => reason.name)).toContain('write/clarity');
    // (1 + 2 + 1 + 0.75 + 1 + 1) / 7, and the routine's own part reaches its pass score 0.8.
    expect(scored.score).toBeCloseTo(6.75 / 7, 9);
    expect(scored.passed).toBe(true);
    expect(scored.usage.inputTokens).toBeGreaterThan(0);
    expect(scored.usage.credits).toBeGreaterThan(0);

    const charged = (await listSteps(database.db, 'run-1')).filter(
      (step) => step.elementType === 'evaluation',
    );
    expect(charged).toHaveLength(1);
    expect(charged[0]?.usage?.credits).toBe(scored.usage.credits);
    expect(await creditsUsedSince(database.db, tenantId, since)).toBeCloseTo(
      before + scored.usage.credits,
      6,
    );

    // A retry of the same scoring charges once.
    await scoreCase(dependencies, orderCase({ runId: 'run-1' }), signal);
    expect(
      (await listSteps(database.db, 'run-1')).filter((step) => step.elementType === 'evaluation'),
    ).toHaveLength(1);
  });

  it('scores a step that did not complete 0, saying so, and fails the case', async () => {
    await recordRun('run-2', { price: { total: 7.5 } });
    const scored = await scoreCase(dependencies, orderCase({ runId: 'run-2' }), signal);
    const write = scored?.steps.find((step) => step.elementId === 'write');
    expect(write?.score).toMatchObject({
      score: 0,
      passed: false,
      reasons: [{ reason: 'the step "write" did not complete in this run' }],
    });
    expect(scored?.passed).toBe(false);
  });

  it('scores a failed run (no output) 0 on every routine scorer, and a missing expected output 0 with why', async () => {
    const scored = await scoreCase(
      dependencies,
      orderCase({ output: undefined, expected: undefined }),
      signal,
    );
    expect(scored?.steps).toEqual([]);
    expect(scored?.reasons.every((reason) => reason.score === 0)).toBe(true);
    expect(scored?.reasons[0]?.reason).toBe('the run produced no output');
    const noExpected = await scoreCase(dependencies, orderCase({ expected: undefined }), signal);
    expect(noExpected?.reasons.find((reason) => reason.kind === 'match')?.reason).toBe(
      'the case has no expected output to compare with',
    );
  });

  it('in live mode uses only the scorers that need no expected output', async () => {
    const scored = await scoreCase(dependencies, orderCase({ mode: 'live', expected: undefined }), signal);
    expect(scored?.reasons.map((reason) => reason.kind)).toEqual(['jsonSchema', 'feel', 'judge']);
  });

  it('with no section scores by field match against the expected output, and gives null with nothing to score by', async () => {
    await register({ id: 'plain', body: { kind: 'sequence', steps: [{ id: 'greet', type: 'echo' }] } });
    const plain = { tenantId, routineId: 'plain', version: 1, input: {}, output: { a: 1, b: 2 } } as const;
    const scored = await scoreCase(
      dependencies,
      { ...plain, expected: { a: 1, b: 3 }, mode: 'eval' },
      signal,
    );
    expect(scored).toMatchObject({
      score: 0.5,
      passed: false,
      reasons: [
        {
          name: 'match',
          kind: 'match',
          reason: '1 of 2 expected fields match; differing: b: expected 3, got 2',
        },
      ],
      steps: [],
      usage: { credits: 0 },
    });
    expect(await scoreCase(dependencies, { ...plain, mode: 'eval' }, signal)).toBeNull();
    expect(await scoreCase(dependencies, { ...plain, expected: { a: 1 }, mode: 'live' }, signal)).toBeNull();
  });

  it('fails non-retryably for a routine or version that does not exist', async () => {
    for (const input of [orderCase({ routineId: 'order-confirmations' }), orderCase({ version: 9 })]) {
      const error = await scoreCase(dependencies, input, signal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({ type: 'UnknownRoutine', nonRetryable: true });
    }
  });
});
