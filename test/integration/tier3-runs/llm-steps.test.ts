import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun, listSteps } from '../../../activities/store/run-read-model.ts';
import { bpmnProcess, flows, serviceTask } from '../../support/bpmn.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { adderModel, addStep, everythingServer, scheduledActivities, waitForState } from './support/runs.ts';

/** LLM steps on the dev server, with scripted models and a real MCP server, through the worker's own wiring. */

const sumSchema = {
  type: 'object',
  required: ['sum'],
  properties: { sum: { type: 'number' } },
};

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.startWorker({
    deployment: {
      mcpServers: { everything: everythingServer },
      models: {
        greeter: {
          provider: 'scripted',
          turns: [{ match: 'in french', text: 'Bonjour Ada !' }, { text: 'Hello!' }],
        },
        extractor: {
          provider: 'scripted',
          turns: [{ match: 'your output was invalid', object: { sum: 5 } }, { object: { sum: 'five' } }],
        },
        stubborn: { provider: 'scripted', turns: [{ match: '.', object: { sum: 'five' } }] },
        adder: adderModel,
      },
      defaultModel: 'greeter',
      prices: { models: { adder: { inputPer1k: 1, outputPer1k: 2 } }, toolCall: 0.5 },
    },
  });
});
afterAll(() => stack?.stop());

async function runSequence(id: string, steps: unknown[], input = {}, routine = {}) {
  await stack.client.registerRoutine({ id, body: { kind: 'sequence', steps: steps as never }, ...routine });
  const { runId } = await stack.client.startRun({ routineId: id, input });
  return { runId, outcome: await stack.client.awaitRun(runId) };
}

describe('conversational steps', () => {
  it('answer a prompt rendered from the step variables in one LLM turn, metered into the run', async () => {
    const { runId, outcome } = await runSequence(
      'llm-greet',
      [{ id: 'greet', prompt: 'Greet {{ name }} in French', resultVariable: 'greeting' }],
      { name: 'Ada' },
    );
    expect(outcome).toMatchObject({
      status: 'completed',
      outputs: { name: 'Ada', greeting: 'Bonjour Ada !' },
    });
    expect(outcome.usage).toMatchObject({ toolCalls: 0, credits: 0 });
    expect(outcome.usage?.inputTokens).toBeGreaterThan(0);
    expect(outcome.usage?.outputTokens).toBeGreaterThan(0);
    expect(await scheduledActivities(stack.client, runId)).toMatchObject({ llmTurn: 1 });
    const state = await stack.client.getRunState(runId);
    expect(state.llmSteps).toEqual([
      expect.objectContaining({
        stepKey: 'greet#1',
        elementId: 'greet',
        strategy: 'conversational',
        reason: 'auto: the step has a prompt and allows no tools',
        model: 'greeter',
        status: 'completed',
        turns: 1,
        usage: outcome.usage,
      }),
    ]);
    expect((await getRun(stack.client.db, runId))?.usage).toEqual(outcome.usage);
  });

  it('send an answer that misses the output schema back with the problems, and take the corrected one', async () => {
    const { outcome, runId } = await runSequence('llm-extract', [
      { id: 'extract', prompt: 'What is 2 + 3?', model: 'extractor', outputSchema: sumSchema },
    ]);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { answer: { sum: 5 } } });
    expect((await stack.client.getRunState(runId)).llmSteps[0]).toMatchObject({
      turns: 2,
      status: 'completed',
    });
  });

  it('fail the step clearly after the bounded retries: an incident on the element', async () => {
    await stack.client.registerRoutine({
      id: 'llm-stubborn',
      body: {
        kind: 'sequence',
        steps: [
          {
            id: 'extract',
            prompt: 'What is 2 + 3?',
            model: 'stubborn',
            outputSchema: sumSchema,
            maxOutputRetries: 1,
          },
        ],
      },
    });
    const { runId } = await stack.client.startRun({ routineId: 'llm-stubborn' });
    const state = await waitForState(stack.client, runId, 'an incident', (s) => s.status === 'incident');
    expect(state.incident).toEqual({
      elementId: 'extract',
      message: 'extract: the answer does not match the output schema after 2 tries: sum: must be number',
    });
    expect(state.llmSteps[0]).toMatchObject({ status: 'failed', turns: 2 });
    await stack.client.cancelRun(runId);
  });
});

describe('reasoning steps', () => {
  it('call a real MCP tool from a BPMN llm task: one activity per turn and per tool call', async () => {
    const task = serviceTask('add', 'llm', {
      prompt: 'Add {{ a }} and {{ b }}',
      model: 'adder',
      tools: 'everything/get-sum',
      resultVariable: 'result',
    });
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />${task}<bpmn:endEvent id="end" />
      ${flows(['start', 'add'], ['add', 'end'])}`);
    await stack.client.registerRoutine({ id: 'llm-add-bpmn', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'llm-add-bpmn', input: { a: 2, b: 3 } });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { result: 'It is 5.' } });
    expect(await scheduledActivities(stack.client, runId)).toMatchObject({
      listMcpTools: 1,
      llmTurn: 2,
      callMcpTool: 1,
    });
    const { usage } = outcome;
    expect(usage?.toolCalls).toBe(1);
    const tokenCredits = ((usage?.inputTokens ?? 0) * 1 + (usage?.outputTokens ?? 0) * 2) / 1000;
    expect(usage?.credits).toBeCloseTo(tokenCredits + 0.5, 5);
    const [step] = (await stack.client.getRunState(runId)).llmSteps;
    expect(step).toMatchObject({
      strategy: 'reasoning',
      reason: 'auto: the step has a prompt and allows tools',
      turns: 2,
      toolCalls: 1,
      usage,
    });
  });

  it("take the routine's default strategy, and never send a sensitive step to an LLM", async () => {
    const { outcome, runId } = await runSequence(
      'llm-routine-default',
      [{ ...addStep, prompt: 'Greet Ada in French', model: 'greeter' }],
      {},
      { strategy: 'conversational' },
    );
    expect(outcome.outputs.answer).toBe('Bonjour Ada !');
    expect((await stack.client.getRunState(runId)).llmSteps[0]).toMatchObject({
      strategy: 'conversational',
      reason: "the routine's default strategy is conversational",
    });

    await stack.client.registerRoutine({
      id: 'llm-sensitive',
      body: { kind: 'sequence', steps: [{ id: 'secret', prompt: 'Summarise {{ ssn }}', sensitive: true }] },
    });
    const sensitive = await stack.client.startRun({ routineId: 'llm-sensitive', input: { ssn: '123' } });
    const state = await waitForState(
      stack.client,
      sensitive.runId,
      'an incident',
      (s) => s.status === 'incident',
    );
    expect(state.incident?.message).toBe(
      'secret: policy: the step is sensitive and may not be sent to an LLM (conversational)',
    );
    expect(await scheduledActivities(stack.client, sensitive.runId)).not.toHaveProperty('llmTurn');
    await stack.client.cancelRun(sensitive.runId);
  });
});

describe('MCP service tasks', () => {
  it('run a BPMN service task bound to mcp:everything/get-sum, its result for the output mappings', async () => {
    const mappings = `<zeebe:ioMapping>
      <zeebe:input source="=x" target="a" /><zeebe:input source="=y" target="b" />
      <zeebe:output source="=result" target="sum" /></zeebe:ioMapping>`;
    const xml = bpmnProcess(`<bpmn:startEvent id="start" />
      ${serviceTask('sum', 'mcp:everything/get-sum', {}, mappings)}
      <bpmn:endEvent id="end" />${flows(['start', 'sum'], ['sum', 'end'])}`);
    await stack.client.registerRoutine({ id: 'mcp-get-sum', body: { kind: 'bpmn', xml } });
    const { runId } = await stack.client.startRun({ routineId: 'mcp-get-sum', input: { x: 2, y: 3 } });
    const outcome = await stack.client.awaitRun(runId);
    expect(outcome).toMatchObject({ status: 'completed', outputs: { sum: 'The sum of 2 and 3 is 5.' } });
  });
});

describe('LLM steps in the run_steps read model', () => {
  it('record each LLM step that ends: strategy and why, model, turns, tool calls, usage and status', async () => {
    const { runId, outcome } = await runSequence('llm-step-rows', [addStep], { a: 2, b: 3 });
    expect(outcome.status).toBe('completed');
    expect(await listSteps(stack.client.db, runId)).toEqual([
      expect.objectContaining({
        stepKey: 'add#1',
        elementId: 'add',
        status: 'completed',
        attempt: 1,
        output: { answer: 'It is 5.' },
        error: null,
        usage: outcome.usage,
        llm: {
          strategy: 'reasoning',
          reason: 'auto: the step has a prompt and allows tools',
          model: 'adder',
          // The fingerprint of the messages the model was first sent.
          inputHash: expect.stringMatching(/^[0-9a-f]{16}$/),
          turns: 2,
          toolCalls: 1,
        },
      }),
    ]);

    await stack.client.registerRoutine({
      id: 'llm-step-row-blocked',
      body: { kind: 'sequence', steps: [{ id: 'secret', prompt: 'Summarise {{ ssn }}', sensitive: true }] },
    });
    const blocked = await stack.client.startRun({ routineId: 'llm-step-row-blocked', input: { ssn: '1' } });
    await waitForState(stack.client, blocked.runId, 'an incident', (s) => s.status === 'incident');
    await expect
      .poll(() => listSteps(stack.client.db, blocked.runId))
      .toEqual([
        expect.objectContaining({
          stepKey: 'secret#1',
          status: 'failed',
          output: null,
          error: 'secret: policy: the step is sensitive and may not be sent to an LLM (conversational)',
          llm: expect.objectContaining({ strategy: 'blocked', turns: 0, toolCalls: 0 }),
        }),
      ]);
    await stack.client.cancelRun(blocked.runId);
  });
});
