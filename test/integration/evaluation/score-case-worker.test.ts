import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTier3Dependencies, type Tier3Dependencies } from '../../../activities/tier3/index.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { scoreCaseCallerWorkflow } from '../../support/workflows/score-case-caller.ts';
import { startMessagingWorker } from '../../support/workflows/worker.ts';

let stack: TestStack;
let tier3: Tier3Dependencies;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  stack = await startTestStack({ tenantId: 'scoring-worker' });
  tier3 = createTier3Dependencies(
    DeploymentConfig.parse({
      models: {
        judge: {
          provider: 'scripted',
          turns: [{ object: { grade: 3, reason: 'says hello, not the name' } }],
        },
      },
      defaultModel: 'judge',
      prices: { models: { judge: { inputPer1k: 2, outputPer1k: 2 } } },
    }),
  );
  worker = await startMessagingWorker(stack, { tier3 });
});
afterAll(async () => {
  await worker?.stop();
  await tier3?.pool.close();
  await stack?.stop();
});

const run = (input: Parameters<typeof scoreCaseCallerWorkflow>[0]) =>
  stack.client.temporal.workflow.execute(scoreCaseCallerWorkflow, {
    workflowId: `score-case-${crypto.randomUUID()}`,
    taskQueue: stack.config.taskQueue,
    args: [input],
  });

describe('the scoreCase activity on a worker', () => {
  it('scores a routine registered through the SDK with its judge, metered', async () => {
    const { version } = await stack.client.registerRoutine({
      id: 'greeter',
      evaluation: {
        scorers: [
          { kind: 'judge', rubric: 'The greeting names the person.' },
          { kind: 'feel', assert: '= contains(output.greeting, input.name)' },
        ],
      },
      body: { kind: 'sequence', steps: [{ id: 'greet', type: 'echo' }] },
    });
    const scored = await run({
      tenantId: stack.config.tenantId,
      routineId: 'greeter',
      version,
      input: { name: 'Ada' },
      output: { greeting: 'Hello!' },
      mode: 'live',
    });
    expect(scored?.reasons).toEqual([
      {
        name: 'judge',
        kind: 'judge',
        score: 0.5,
        weight: 1,
        reason: 'graded 3 on 1-5: says hello, not the name',
      },
      {
        name: 'feel',
        kind: 'feel',
        score: 0,
        weight: 1,
        reason: '"contains(output.greeting, input.name)" is false for the output {"greeting":"Hello!"}',
      },
    ]);
    expect(scored).toMatchObject({ score: 0.25, passed: false, steps: [] });
    expect(scored?.usage.credits).toBeGreaterThan(0);
  });

  it('fails non-retryably with UnknownRoutine for a routine the tenant does not have', async () => {
    const error = await run({
      tenantId: stack.config.tenantId,
      routineId: 'greeters',
      version: 1,
      input: {},
      mode: 'eval',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activity = (error as WorkflowFailedError).cause as ActivityFailure | undefined;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity?.cause).toBeInstanceOf(ApplicationFailure);
    expect(activity?.cause).toMatchObject({ type: 'UnknownRoutine', nonRetryable: true });
    expect(activity?.cause?.message).toContain('did you mean "greeter"');
  });
});
