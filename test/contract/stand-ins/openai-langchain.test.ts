import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../support/stand-ins/openai-chat.ts';

/** The real LangChain ChatOpenAI client against the strict stand-in: valid use passes with zero rejections. */
describe('OpenAI stand-in through LangChain ChatOpenAI', () => {
  let standIn: OpenAiStandIn;

  beforeEach(async () => {
    standIn = await startOpenAiStandIn({ models: { 'gpt-4o-mini': {}, 'gpt-5.2-pro': {} } });
  });
  afterEach(async () => {
    await standIn.stop();
  });

  function chatModel(model = 'gpt-4o-mini') {
    return new ChatOpenAI({
      model,
      apiKey: standIn.apiKey,
      configuration: { baseURL: standIn.baseURL },
      maxRetries: 0,
    });
  }

  const lookup = tool(async ({ city }: { city: string }) => `${city}: 21°C`, {
    name: 'weather_lookup',
    description: 'Current weather for a city',
    schema: z.object({ city: z.string() }),
  });

  it('answers a plain invoke on /v1/chat/completions without streaming', async () => {
    standIn.enqueue({ text: 'Hello there.' });
    const answer = await chatModel().invoke([new SystemMessage('Be brief.'), new HumanMessage('Hi')]);
    expect(answer.content).toBe('Hello there.');
    expect(answer.usage_metadata?.total_tokens).toBeGreaterThan(0);
    expect(standIn.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    expect(standIn.chatRequests()[0]?.stream).not.toBe(true);
    expect(standIn.rejections).toEqual([]);
  });

  it('runs a tool round trip: tool call, ToolMessage, final answer', async () => {
    const model = chatModel().bindTools([lookup]);
    standIn.enqueue(
      { toolCalls: [{ name: 'weather_lookup', arguments: { city: 'Oslo' }, id: 'call_1' }] },
      { text: 'It is 21°C in Oslo.' },
    );
    const history = [new HumanMessage('Weather in Oslo?')];
    const first = await model.invoke(history);
    expect(first.tool_calls).toEqual([
      expect.objectContaining({ name: 'weather_lookup', args: { city: 'Oslo' }, id: 'call_1' }),
    ]);
    const result = await lookup.invoke({ city: 'Oslo' });
    const final = await model.invoke([
      ...history,
      first,
      new ToolMessage({ content: result, tool_call_id: 'call_1' }),
    ]);
    expect(final.content).toBe('It is 21°C in Oslo.');
    expect(standIn.rejections).toEqual([]);
    const [offer] = standIn.chatRequests();
    expect(offer?.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({ name: 'weather_lookup' }),
      }),
    ]);
  });

  it('rejects a history whose tool call has no answer, as OpenAI does', async () => {
    const orphan = new AIMessage({
      content: '',
      tool_calls: [{ name: 'weather_lookup', args: { city: 'Oslo' }, id: 'call_9' }],
    });
    await expect(
      chatModel()
        .bindTools([lookup])
        .invoke([new HumanMessage('Weather?'), orphan, new HumanMessage('Well?')]),
    ).rejects.toThrow(/must be followed by tool messages responding to each 'tool_call_id'/);
    expect(standIn.rejections).toHaveLength(1);
  });

  it('returns structured output through response_format json_schema with strict: true', async () => {
    const schema = z.object({ title: z.string(), score: z.number(), note: z.string().nullable() });
    standIn.enqueue({ json: { title: 'Report', score: 7, note: null } });
    const structured = chatModel().withStructuredOutput(schema, { method: 'jsonSchema', strict: true });
    await expect(structured.invoke('Rate it')).resolves.toEqual({ title: 'Report', score: 7, note: null });
    expect(standIn.rejections).toEqual([]);
    expect(standIn.chatRequests()[0]?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'extract', strict: true, schema: { type: 'object', additionalProperties: false } },
    });
  });

  it('rejects a strict schema with an optional property, as Structured Outputs does', async () => {
    const schema = z.object({ title: z.string(), note: z.string().optional() });
    const structured = chatModel().withStructuredOutput(schema, { method: 'jsonSchema', strict: true });
    await expect(structured.invoke('Rate it')).rejects.toThrow(
      /'required' is required to be supplied.*Missing 'note'/,
    );
  });

  it('sends some model names to /v1/responses, which an OpenAI-compatible server lacks', async () => {
    standIn.enqueue({ text: 'unused' });
    await expect(chatModel('gpt-5.2-pro').invoke('Hi')).rejects.toThrow(/404/);
    expect(standIn.requests.map((r) => r.path)).toEqual(['/v1/responses']);
    const forced = new ChatOpenAI({
      model: 'gpt-5.2-pro',
      apiKey: standIn.apiKey,
      configuration: { baseURL: standIn.baseURL },
      maxRetries: 0,
      useResponsesApi: false,
    });
    await expect(forced.invoke('Hi')).rejects.toThrow(/404/);
    expect(standIn.requests.at(-1)?.path).toBe('/v1/responses');
  });
});
