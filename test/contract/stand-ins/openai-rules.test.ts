import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../support/stand-ins/openai-chat.ts';

/** OpenAI's error body, or a completion: the fields these tests read. */
interface Answer {
  readonly error: { message: string; type: string; param: string | null; code: string | null };
  readonly choices: { finish_reason: string; message: { content: string | null } }[];
  readonly data: { id: string }[];
  readonly [key: string]: unknown;
}

/** Each rule of the OpenAI stand-in, broken on purpose with a raw request: the real status and error shape. */
describe('OpenAI stand-in rules', () => {
  let standIn: OpenAiStandIn;

  beforeAll(async () => {
    standIn = await startOpenAiStandIn({
      models: {
        'gpt-4o-mini': {},
        tiny: { contextWindow: 50 },
        'llama3:8b': { tools: false, jsonSchema: false },
      },
      defaultResponder: () => ({ text: 'ok' }),
    });
  });
  afterAll(async () => {
    await standIn.stop();
  });

  const user = { role: 'user', content: 'Hi' };
  const weather = {
    type: 'function',
    function: {
      name: 'weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  };

  async function post(body: unknown, headers: Record<string, string> = {}, path = '/chat/completions') {
    const response = await fetch(`${standIn.baseURL}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.apiKey}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
  }

  function chat(extra: Record<string, unknown>) {
    return post({ model: 'gpt-4o-mini', messages: [user], ...extra });
  }

  async function expectRejected(
    result: Promise<{ status: number; body: Answer }>,
    status: number,
    message: RegExp,
    code?: string,
  ) {
    const { status: actual, body } = await result;
    expect(actual).toBe(status);
    expect(body.error.message).toMatch(message);
    expect(typeof body.error.type).toBe('string');
    expect(body.error.param === null || typeof body.error.param === 'string').toBe(true);
    expect(body.error.code).toBe(code ?? body.error.code);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  }

  it('answers a valid request in the real response shape', async () => {
    const { status, body } = await chat({});
    expect(status).toBe(200);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      id: expect.stringMatching(/^chatcmpl-/),
      created: expect.any(Number),
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      },
    });
  });

  it('checks the API key', async () => {
    await expectRejected(
      post({ model: 'gpt-4o-mini', messages: [user] }, { authorization: 'Bearer sk-wrong-key-1234' }),
      401,
      /^Incorrect API key provided: sk-\*\*\*\*\*1234\./,
      'invalid_api_key',
    );
    await expectRejected(
      post({ model: 'gpt-4o-mini', messages: [user] }, { authorization: '' }),
      401,
      /You didn't provide an API key/,
    );
  });

  it('refuses unknown models, unparseable bodies, /v1/responses and streaming', async () => {
    await expectRejected(
      post({ model: 'gpt-9', messages: [user] }),
      404,
      /The model `gpt-9` does not exist/,
      'model_not_found',
    );
    await expectRejected(post('{not json'), 400, /could not parse the JSON body/);
    await expectRejected(
      post({ model: 'gpt-4o-mini', input: 'Hi' }, {}, '/responses'),
      404,
      /Invalid URL \(POST \/v1\/responses\)/,
    );
    await expectRejected(chat({ stream: true }), 400, /does not stream/);
  });

  it('checks messages and roles', async () => {
    await expectRejected(
      post({ model: 'gpt-4o-mini' }),
      400,
      /Missing required parameter: 'messages'/,
      'missing_required_parameter',
    );
    await expectRejected(post({ model: 'gpt-4o-mini', messages: [] }), 400, /empty array/, 'empty_array');
    await expectRejected(
      post({ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] }),
      400,
      /Invalid value: 'robot'/,
      'invalid_value',
    );
    await expectRejected(
      post({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: null }] }),
      400,
      /expected a string, got null/,
    );
  });

  it('pairs every tool call with a tool message', async () => {
    const call = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }],
    };
    await expectRejected(
      chat({ tools: [weather], messages: [user, call, user] }),
      400,
      /^An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'\. The following tool_call_ids did not have response messages: call_1$/,
    );
    await expectRejected(
      chat({ tools: [weather], messages: [user, call] }),
      400,
      /did not have response messages: call_1/,
    );
    await expectRejected(
      chat({ messages: [user, { role: 'tool', tool_call_id: 'call_1', content: 'x' }] }),
      400,
      /messages with role 'tool' must be a response to a preceeding message with 'tool_calls'/,
    );
    await expectRejected(
      chat({
        tools: [weather],
        messages: [user, call, { role: 'tool', tool_call_id: 'call_2', content: 'x' }],
      }),
      400,
      /'tool_call_id' of 'call_2' not found in 'tool_calls' of previous message/,
    );
    const answered = await chat({
      tools: [weather],
      messages: [user, call, { role: 'tool', tool_call_id: 'call_1', content: 'x' }],
    });
    expect(answered.status).toBe(200);
  });

  it('checks tool definitions and their schemas', async () => {
    const withName = (name: string) => ({ ...weather, function: { ...weather.function, name } });
    const withParameters = (parameters: unknown, strict?: boolean) => ({
      type: 'function',
      function: { name: 'pick', parameters, strict },
    });
    await expectRejected(
      chat({ tools: [{ type: 'web', function: weather.function }] }),
      400,
      /Invalid value: 'web'/,
    );
    await expectRejected(
      chat({ tools: [withName('swarm.manage')] }),
      400,
      /string does not match pattern/,
      'invalid_value',
    );
    await expectRejected(
      chat({ tools: [withName('x'.repeat(65))] }),
      400,
      /string too long/,
      'string_above_max_length',
    );
    const union = { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object' }] };
    await expectRejected(
      chat({ tools: [withParameters(union)] }),
      400,
      /^Invalid schema for function 'pick': schema must be a JSON Schema of 'type: "object"', got 'type: "None"'\.$/,
      'invalid_function_parameters',
    );
    await expectRejected(
      chat({ tools: [withParameters({ type: 'object', ...union })] }),
      400,
      /not have 'oneOf'\/'anyOf'\/'allOf'\/'enum'\/'not' at the top level/,
    );
  });

  it('applies the Structured Outputs rules to strict functions', async () => {
    const strictTool = (parameters: unknown) => ({
      type: 'function',
      function: { name: 'pick', parameters, strict: true },
    });
    await expectRejected(
      chat({
        tools: [strictTool({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })],
      }),
      400,
      /In context=\(\), 'additionalProperties' is required to be supplied and to be false\./,
    );
    await expectRejected(
      chat({
        tools: [
          strictTool({
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'string' } },
            required: ['a'],
            additionalProperties: false,
          }),
        ],
      }),
      400,
      /'required' is required to be supplied and to be an array including every key in properties\. Missing 'b'\./,
    );
    const nested = {
      type: 'object',
      properties: { inner: { type: 'object', properties: {}, required: [] } },
      required: ['inner'],
      additionalProperties: false,
    };
    await expectRejected(
      chat({ tools: [strictTool(nested)] }),
      400,
      /In context=\('properties', 'inner'\), 'additionalProperties'/,
    );
    const allOf = {
      type: 'object',
      properties: { a: { allOf: [{ type: 'string' }] } },
      required: ['a'],
      additionalProperties: false,
    };
    await expectRejected(chat({ tools: [strictTool(allOf)] }), 400, /'allOf' is not permitted/);
  });

  it('checks response_format', async () => {
    const format = (schema: unknown, extra: Record<string, unknown> = {}) => ({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema, ...extra },
      },
    });
    await expectRejected(
      chat(format({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })),
      400,
      /^Invalid schema for response_format 'answer': In context=\(\), 'additionalProperties'/,
    );
    await expectRejected(
      chat(format({ anyOf: [{ type: 'object' }] })),
      400,
      /schema must be a JSON Schema of 'type: "object"'/,
    );
    await expectRejected(
      chat(format({ type: 'object' }, { name: 'an answer' })),
      400,
      /response_format\.json_schema\.name/,
    );
    await expectRejected(chat({ response_format: { type: 'yaml' } }), 400, /Invalid value: 'yaml'/);
    await expectRejected(
      chat({ response_format: { type: 'json_object' } }),
      400,
      /must contain the word 'json'/,
    );
    const ok = await chat(
      format({
        type: 'object',
        properties: { a: { type: ['string', 'null'] } },
        required: ['a'],
        additionalProperties: false,
      }),
    );
    expect(ok.status).toBe(200);
  });

  it('checks tool_choice, parallel_tool_calls and token limits', async () => {
    await expectRejected(
      chat({ tool_choice: 'required' }),
      400,
      /'tool_choice' is only allowed when 'tools' are specified/,
    );
    await expectRejected(
      chat({ parallel_tool_calls: false }),
      400,
      /'parallel_tool_calls' is only allowed when 'tools' are specified/,
    );
    await expectRejected(
      chat({ tools: [weather], tool_choice: { type: 'function', function: { name: 'other' } } }),
      400,
      /'other' is not among the provided tools/,
    );
    await expectRejected(
      chat({ max_tokens: 0 }),
      400,
      /Expected a value >= 1, but got 0 instead/,
      'integer_below_min_value',
    );
    await expectRejected(chat({ max_completion_tokens: -5 }), 400, /integer below minimum value/);
  });

  it('refuses prompts over the context window with context_length_exceeded', async () => {
    const long = { role: 'user', content: 'x'.repeat(400) };
    await expectRejected(
      post({ model: 'tiny', messages: [long] }),
      400,
      /^This model's maximum context length is 50 tokens\. However, your messages resulted in \d+ tokens\. Please reduce the length of the messages\.$/,
      'context_length_exceeded',
    );
    await expectRejected(
      post({ model: 'tiny', messages: [user], max_tokens: 100 }),
      400,
      /However, you requested \d+ tokens \(\d+ in the messages, 100 in the completion\)/,
    );
  });

  it('models a server without tools or Structured Outputs', async () => {
    const { status, body } = await post({ model: 'llama3:8b', messages: [user], tools: [weather] });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: { message: 'llama3:8b does not support tools', type: 'api_error', param: null, code: null },
    });
    const schema = { type: 'object', properties: {}, additionalProperties: false };
    await expectRejected(
      post({
        model: 'llama3:8b',
        messages: [user],
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema } },
      }),
      400,
      /does not support 'response_format' of type 'json_schema'/,
    );
  });

  it('lists models and records every rejection', async () => {
    const models = await fetch(`${standIn.baseURL}/models`, {
      headers: { authorization: `Bearer ${standIn.apiKey}` },
    });
    expect(((await models.json()) as Answer).data.map((m) => m.id)).toContain('gpt-4o-mini');
    expect(standIn.rejections.length).toBeGreaterThan(20);
    expect(standIn.rejections.every((r) => r.status >= 400 && !r.injected)).toBe(true);
  });
});

describe('OpenAI stand-in replies and faults', () => {
  let standIn: OpenAiStandIn;

  beforeAll(async () => {
    standIn = await startOpenAiStandIn();
  });
  afterAll(async () => {
    await standIn.stop();
  });

  function post(body: unknown) {
    return fetch(`${standIn.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.apiKey}` },
      body: JSON.stringify(body),
    });
  }
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

  it('answers 500 naming the forgotten reply when nothing is queued', async () => {
    const response = await post(request);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).toMatch(/forgot to enqueue a reply/);
  });

  it('sends injected faults as they are, then the queued replies', async () => {
    standIn.enqueueError(
      429,
      {
        error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' },
      },
      { 'retry-after': '2' },
    );
    standIn.enqueueError(503, {
      error: { message: 'The engine is currently overloaded', type: 'server_error', param: null, code: null },
    });
    standIn.enqueue({ text: 'cut', finishReason: 'length' });
    const limited = await post(request);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post(request)).status).toBe(503);
    const cut = (await (await post(request)).json()) as Answer;
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(standIn.rejections.filter((r) => r.injected).map((r) => r.status)).toEqual([429, 503]);
    expect(standIn.pending).toBe(0);
  });

  it('answers 500 when a scripted tool call names a tool the request did not offer', async () => {
    standIn.enqueue({ toolCalls: [{ name: 'weather', arguments: {} }] });
    const response = await post(request);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).toMatch(
      /calls tool 'weather' but the request offered \[\]/,
    );
  });
});
