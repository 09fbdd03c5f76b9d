import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { ScriptedChatModel } from '../../../activities/models/scripted-chat-model.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { runLlmTurn } from '../../../activities/strategies/llm-turn.ts';
import { meteredLlmTurn } from '../../../activities/strategies/llm-turn-activity.ts';
import {
  outputFeedback,
  outputInstruction,
  withOutputInstruction,
} from '../../../activities/strategies/structured-output.ts';
import type { ChatMessage } from '../../../schema/models.ts';
import { findToolByKey, type McpToolDescriptor } from '../../../schema/tools.ts';

const sumTool: McpToolDescriptor = {
  server: 'everything',
  name: 'get-sum',
  description: 'Returns the sum of two numbers',
  inputSchema: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
  risk: 'low',
};
const answerSchema = {
  type: 'object',
  properties: { sum: { type: 'number' }, explanation: { type: 'string' } },
  required: ['sum'],
};
const script = fileURLToPath(new URL('../../fixtures/scripted/sum-reasoning.json', import.meta.url));
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('one LLM turn', () => {
  const model = () => new ScriptedChatModel({ turns: [{ text: 'Paris.' }] });

  it('takes and gives plain JSON, with usage and duration', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', text: 'Answer in one word.' },
      { role: 'user', text: 'Capital of France?' },
    ];
    const result = await runLlmTurn({ model: model(), messages });
    expect(roundTrip(result)).toEqual(result);
    expect(result.message).toEqual({ role: 'assistant', text: 'Paris.', toolCalls: [] });
    expect(result.usage).toEqual({ inputTokens: expect.any(Number), outputTokens: 2 });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.output).toBeUndefined();
  });

  it('offers MCP tools under their tool keys and returns the calls, which map back to the tools', async () => {
    const turns = [{ toolCalls: [{ name: 'everything__get-sum', args: { a: 2, b: 3 } }] }, { text: '5' }];
    const messages: ChatMessage[] = [{ role: 'user', text: '2 + 3?' }];
    const first = await runLlmTurn({ model: new ScriptedChatModel({ turns }), messages, tools: [sumTool] });
    const [call] = first.message.toolCalls;
    expect(call).toEqual({ id: 'call_1_1', name: 'everything__get-sum', args: { a: 2, b: 3 } });
    expect(findToolByKey([sumTool], call?.name ?? '')).toBe(sumTool);

    const conversation: ChatMessage[] = [
      ...messages,
      roundTrip(first.message),
      { role: 'tool', toolCallId: 'call_1_1', text: 'The sum of 2 and 3 is 5.' },
    ];
    const second = await runLlmTurn({
      model: new ScriptedChatModel({ turns }),
      messages: conversation,
      tools: [sumTool],
    });
    expect(second.message).toEqual({ role: 'assistant', text: '5', toolCalls: [] });
  });

  it('checks a final answer against the output schema and hands back the feedback to retry with', async () => {
    const scripted = new ModelRegistry(
      parseDeploymentConfig({ models: { demo: { provider: 'scripted', script } } }, '/'),
    ).resolve('demo').model;
    const messages: ChatMessage[] = [{ role: 'user', text: 'Add 2 and 3.' }];
    const reasoning = await runLlmTurn({
      model: scripted,
      messages,
      tools: [sumTool],
      outputSchema: answerSchema,
    });
    expect(reasoning.output).toBeUndefined();

    const conversation: ChatMessage[] = [
      ...messages,
      reasoning.message,
      { role: 'tool', toolCallId: reasoning.message.toolCalls[0]?.id ?? '', text: '5' },
    ];
    const invalid = await runLlmTurn({
      model: scripted,
      messages: conversation,
      tools: [sumTool],
      outputSchema: answerSchema,
    });
    expect(invalid.output).toEqual({
      valid: false,
      problems: ['sum: must be number'],
      feedback: outputFeedback(['sum: must be number']),
    });
    expect(invalid.output?.valid === false && invalid.output.feedback.text).toMatch(
      /^Your output was invalid: sum: must be number/,
    );

    const retried = await runLlmTurn({
      model: scripted,
      messages: [
        ...conversation,
        invalid.message,
        ...(invalid.output?.valid === false ? [invalid.output.feedback] : []),
      ],
      tools: [sumTool],
      outputSchema: answerSchema,
    });
    expect(retried.output).toEqual({ valid: true, value: { sum: 5, explanation: '2 + 3' } });
  });

  it('tells the model the schema in its system message, or in a new one', () => {
    const instruction = outputInstruction(answerSchema);
    expect(instruction).toContain(JSON.stringify(answerSchema));
    const user: ChatMessage = { role: 'user', text: 'sum?' };
    expect(withOutputInstruction([{ role: 'system', text: 'Be exact.' }, user], answerSchema)).toEqual([
      { role: 'system', text: `Be exact.\n\n${instruction}` },
      user,
    ]);
    expect(withOutputInstruction([user], answerSchema)).toEqual([
      { role: 'system', text: instruction },
      user,
    ]);
  });

  it('refuses an answer that is not JSON', async () => {
    const prose = new ScriptedChatModel({ turns: [{ text: 'The sum is 5.' }] });
    const result = await runLlmTurn({
      model: prose,
      messages: [{ role: 'user', text: 'sum?' }],
      outputSchema: answerSchema,
    });
    expect(result.output).toMatchObject({
      valid: false,
      problems: [expect.stringMatching(/^\(root\): the answer is not JSON/)],
    });
  });

  it('reads an answer wrapped in a code fence', async () => {
    const fenced = new ScriptedChatModel({ turns: [{ text: '```json\n{"sum": 5}\n```' }] });
    const result = await runLlmTurn({
      model: fenced,
      messages: [{ role: 'user', text: 'sum?' }],
      outputSchema: answerSchema,
    });
    expect(result.output).toEqual({ valid: true, value: { sum: 5 } });
  });
});

describe('the LLM turn activity', () => {
  const config = parseDeploymentConfig(
    {
      models: { demo: { provider: 'scripted', turns: [{ text: 'x'.repeat(400) }] } },
      defaultModel: 'demo',
      prices: { models: { demo: { inputPer1k: 1, outputPer1k: 10 } }, perSecond: 0 },
    },
    '/',
  );
  const dependencies = () => ({
    models: new ModelRegistry(config),
    breakers: new CircuitBreakers(),
    prices: config.prices,
  });
  const signal = new AbortController().signal;

  it('runs the default model and meters its tokens into credits', async () => {
    const outcome = await meteredLlmTurn(
      dependencies(),
      { messages: [{ role: 'user', text: 'x'.repeat(4000) }] },
      signal,
    );
    expect(outcome.model).toBe('demo');
    expect(outcome.usage).toMatchObject({ outputTokens: 100, toolCalls: 0 });
    expect(outcome.usage.inputTokens).toBeGreaterThanOrEqual(1000);
    expect(outcome.usage.credits).toBeCloseTo(outcome.usage.inputTokens / 1000 + 1, 6);
  });

  it('fails without retries for an unknown model or a bad request', async () => {
    const unknown = await failure(
      meteredLlmTurn(dependencies(), { model: 'gpt-9', messages: [{ role: 'user', text: 'x' }] }, signal),
    );
    expect(unknown).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(unknown.message).toBe('unknown model "gpt-9"; configured models: demo');
    const empty = await failure(meteredLlmTurn(dependencies(), { messages: [] }, signal));
    expect(empty).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(empty.message).toContain('messages: Too small');
  });
});

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}
