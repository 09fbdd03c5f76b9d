import { ChatAnthropic } from '@langchain/anthropic';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnthropicStandIn, startAnthropicStandIn } from '../../support/stand-ins/anthropic-messages.ts';

/** The real LangChain ChatAnthropic client against the strict stand-in: valid use passes with zero rejections. */
describe('Anthropic stand-in through LangChain ChatAnthropic', () => {
  let standIn: AnthropicStandIn;

  beforeEach(async () => {
    standIn = await startAnthropicStandIn();
  });
  afterEach(async () => {
    await standIn.stop();
  });

  function chatModel() {
    return new ChatAnthropic({
      model: 'claude-sonnet-4-5',
      apiKey: standIn.apiKey,
      anthropicApiUrl: standIn.url,
      maxRetries: 0,
    });
  }

  const lookup = tool(async ({ city }: { city: string }) => `${city}: 21°C`, {
    name: 'weather_lookup',
    description: 'Current weather for a city',
    schema: z.object({ city: z.string() }),
  });

  it('answers a plain invoke with the system prompt at the top level', async () => {
    standIn.enqueue({ text: 'Hello there.' });
    const answer = await chatModel().invoke([new SystemMessage('Be brief.'), new HumanMessage('Hi')]);
    expect(answer.content).toBe('Hello there.');
    expect(answer.usage_metadata?.total_tokens).toBeGreaterThan(0);
    const [request] = standIn.messageRequests();
    expect(request?.system).toBe('Be brief.');
    expect(request?.stream).not.toBe(true);
    expect(standIn.rejections).toEqual([]);
  });

  it('runs a tool round trip: tool_use, tool_result, final answer', async () => {
    const model = chatModel().bindTools([lookup]);
    standIn.enqueue(
      { toolUses: [{ name: 'weather_lookup', input: { city: 'Oslo' }, id: 'toolu_1' }] },
      { text: 'It is 21°C in Oslo.' },
    );
    const history = [new HumanMessage('Weather in Oslo?')];
    const first = await model.invoke(history);
    expect(first.tool_calls).toEqual([
      expect.objectContaining({ name: 'weather_lookup', args: { city: 'Oslo' }, id: 'toolu_1' }),
    ]);
    const result = await lookup.invoke({ city: 'Oslo' });
    const final = await model.invoke([
      ...history,
      first,
      new ToolMessage({ content: result, tool_call_id: 'toolu_1' }),
    ]);
    expect(final.content).toBe('It is 21°C in Oslo.');
    expect(standIn.rejections).toEqual([]);
    const second = standIn.messageRequests()[1];
    expect(second?.messages).toEqual([
      expect.objectContaining({ role: 'user' }),
      expect.objectContaining({ role: 'assistant' }),
      {
        role: 'user',
        content: [expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1' })],
      },
    ]);
  });

  it('accepts a tool call whose AIMessage has empty text content', async () => {
    const model = chatModel().bindTools([lookup]);
    standIn.enqueue({ text: 'Done.' });
    const call = new AIMessage({
      content: '',
      tool_calls: [{ name: 'weather_lookup', args: { city: 'Oslo' }, id: 'toolu_2' }],
    });
    await model.invoke([
      new HumanMessage('Weather?'),
      call,
      new ToolMessage({ content: 'sunny', tool_call_id: 'toolu_2' }),
    ]);
    expect(standIn.rejections).toEqual([]);
  });

  it('rejects a tool call answered only after a text turn, as Anthropic does', async () => {
    const call = new AIMessage({
      content: '',
      tool_calls: [{ name: 'weather_lookup', args: { city: 'Oslo' }, id: 'toolu_3' }],
    });
    await expect(
      chatModel()
        .bindTools([lookup])
        .invoke([new HumanMessage('Weather?'), call, new HumanMessage('Well?')]),
    ).rejects.toThrow(/`tool_use` ids were found without `tool_result` blocks immediately after: toolu_3/);
    expect(standIn.rejections).toHaveLength(1);
  });

  it('returns structured output by forcing a tool', async () => {
    const schema = z.object({ title: z.string(), score: z.number() });
    standIn.enqueue({ json: { title: 'Report', score: 7 } });
    const structured = chatModel().withStructuredOutput(schema, { name: 'report' });
    await expect(structured.invoke('Rate it')).resolves.toEqual({ title: 'Report', score: 7 });
    expect(standIn.rejections).toEqual([]);
    expect(standIn.messageRequests()[0]?.tool_choice).toEqual({ type: 'tool', name: 'report' });
  });
});
