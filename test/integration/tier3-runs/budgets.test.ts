import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '../../../activities/store/run-read-model.ts';
import { RunNotResumedError } from '../../../client/control-errors.ts';
import type { RunLimitsInput } from '../../../schema/limits.ts';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { adderModel, addStep, everythingServer, swarmflowCli, waitForState } from './support/runs.ts';

/** Run budgets checked before each LLM turn and tool call: a run pauses on one until it is raised, or fails. */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({
    deployment: {
      mcpServers: { everything: everythingServer },
      models: { adder: adderModel },
      prices: { models: { adder: { inputPer1k: 1, outputPer1k: 1 } }, toolCall: 0.5 },
    },
  });
});
afterAll(() => stack?.stop());

async function startAdding(id: string, limits: RunLimitsInput) {
  await stack.client.registerRoutine({ id, body: { kind: 'sequence', steps: [addStep] }, limits });
  const { runId } = await stack.client.startRun({ routineId: id, input: { a: 2, b: 3 } });
  return runId;
}

const waitForPause = (runId: string) =>
  waitForState(stack.client, runId, 'a pause', (state) => state.status === 'paused');

async function statusAttribute(runId: string): Promise<number> {
  const query = `${SearchAttributes.status.name} = 'paused' AND WorkflowId = 'run/${runId}'`;
  return (await stack.client.temporal.workflow.count(query)).count;
}

describe('run budgets', () => {
  it('pause a run past its token budget, refuse limits that would not let it go on, resume on a raise', async () => {
    const runId = await startAdding('budget-tokens', { maxTokens: 1 });
    const paused = await waitForPause(runId);
    expect(paused.pausedOn).toEqual({ limit: 'maxTokens', max: 1, used: expect.any(Number) });
    expect(paused.usage.toolCalls).toBe(0);
    await expect.poll(() => statusAttribute(runId)).toBe(1);
    await expect.poll(async () => (await getRun(stack.client.db, runId))?.status).toBe('paused');
    expect((await getRun(stack.client.db, runId))?.usage).toEqual(paused.usage);

    const tooLow = stack.client.resumeRun(runId, { limits: { maxTokens: 2 } });
    await expect(tooLow).rejects.toBeInstanceOf(RunNotResumedError);
    await expect(tooLow).rejects.toThrow(
      /the new limits do not let the run go on: the run reached its limit maxTokens = 2/,
    );

    const resumed = await swarmflowCli(stack.config, [
      'runs',
      'resume',
      runId,
      '--limits',
      '{"maxTokens":100000}',
    ]);
    expect(resumed).toBe(`run ${runId} resumed with {"maxTokens":100000}\n`);
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: 'It is 5.' } });
    expect((await getRun(stack.client.db, runId))?.usage).toEqual(outcome.usage);
  });

  it('pause a run past its credit budget until the budget is raised', async () => {
    const runId = await startAdding('budget-credits', { maxCredits: 0.001 });
    const paused = await waitForPause(runId);
    expect(paused.pausedOn).toMatchObject({ limit: 'maxCredits', max: 0.001 });
    expect(paused.pausedOn?.used).toBeGreaterThan(0.001);
    const limits = await stack.client.resumeRun(runId, { limits: { maxCredits: 10 } });
    expect(limits).toMatchObject({ maxCredits: 10, onLimit: 'pause' });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome.status).toBe('completed');
    expect(outcome.usage?.credits).toBeGreaterThan(0.5);
  });

  it('pause a run before a tool call past its tool call budget; its LLM turns go on', async () => {
    const runId = await startAdding('budget-tool-calls', { maxToolCalls: 0 });
    const paused = await waitForPause(runId);
    expect(paused.pausedOn).toEqual({ limit: 'maxToolCalls', max: 0, used: 0 });
    expect(paused.llmSteps[0]).toMatchObject({ turns: 1, toolCalls: 0, status: 'running' });
    await stack.client.resumeRun(runId, { limits: { maxToolCalls: 1 } });
    expect(await stack.client.awaitRun(runId)).toMatchObject({
      status: 'completed',
      usage: { toolCalls: 1 },
    });
  });

  it('fail a run that reaches a budget when the routine says so', async () => {
    const runId = await startAdding('budget-fail', { maxToolCalls: 0, onLimit: 'fail' });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({
      status: 'failed',
      error: 'add: the run reached its limit maxToolCalls = 0 (used 0)',
    });
    expect(outcome.usage?.inputTokens).toBeGreaterThan(0);
  });
});
