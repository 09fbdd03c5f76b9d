import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicStandIn,
  anthropicErrorBody,
  startAnthropicStandIn,
} from '../../support/stand-ins/anthropic-messages.ts';

/** Anthropic's error body, or a message: the fields these tests read. */
interface Answer {
  readonly type: string;
  readonly error: { type: string; message: string };
  readonly request_id: string;
  readonly content: { type: string; id?: string; name?: string; input?: unknown; text?: string }[];
  readonly stop_reason: string;
  readonly [key: string]: unknown;
}

/** Each rule of the Anthropic stand-in, broken on purpose with a raw request: the real status and error shape. */
describe('Anthropic stand-in rules', () => {
  let standIn: AnthropicStandIn;

  beforeAll(async () => {
    standIn = await startAnthropicStandIn({
      models: { 'claude-sonnet-4-5': {}, tiny: { contextWindow: 100, maxOutputTokens: 50 } },
      defaultResponder: () => ({ text: 'ok' }),
    });
  });
  afterAll(async () => {
    await standIn.stop();
  });

  const headers = () => ({ 'x-api-key': standIn.apiKey, 'anthropic-version': '2023-06-01' });
  const user = (content: unknown) => ({ role: 'user', content });
  const assistant = (content: unknown) => ({ role: 'assistant', content });
  const weather = {
    name: 'weather',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  };
  const toolUse = (id: string) => ({ type: 'tool_use', id, name: 'weather', input: { city: 'Oslo' } });
  const toolResult = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: '21°C' });

  async function post(
    body: unknown,
    requestHeaders: Record<string, string> = headers(),
    path = '/v1/messages',
  ) {
    const response = await fetch(`${standIn.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...requestHeaders },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  }

  function messages(extra: Record<string, unknown>) {
    return post({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [user('Hi')], ...extra });
  }

  async function expectRejected(
    result: Promise<{ status: number; body: Answer }>,
    status: number,
    type: string,
    message: RegExp,
  ) {
    const { status: actual, body } = await result;
    expect(actual).toBe(status);
    expect(body).toEqual({
      type: 'error',
      error: { type, message: expect.stringMatching(message) },
      request_id: expect.any(String),
    });
  }
  const invalid = (result: Promise<{ status: number; body: Answer }>, message: RegExp) =>
    expectRejected(result, 400, 'invalid_request_error', message);

  it('answers a valid request in the real Message shape', async () => {
    const { status, body } = await messages({});
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it('checks the API key, the version header, the model and the route', async () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [user('Hi')] };
    await expectRejected(
      post(body, { ...headers(), 'x-api-key': 'wrong' }),
      401,
      'authentication_error',
      /^invalid x-api-key$/,
    );
    await expectRejected(
      post(body, { 'anthropic-version': '2023-06-01' }),
      401,
      'authentication_error',
      /x-api-key header is required/,
    );
    await invalid(post(body, { 'x-api-key': standIn.apiKey }), /^anthropic-version: header is required$/);
    await expectRejected(post({ ...body, model: 'claude-9' }), 404, 'not_found_error', /^model: claude-9$/);
    await expectRejected(post(body, headers(), '/v1/complete'), 404, 'not_found_error', /Not Found/);
    await invalid(messages({ stream: true }), /does not stream/);
  });

  it('checks max_tokens and temperature', async () => {
    await invalid(
      post({ model: 'claude-sonnet-4-5', messages: [user('Hi')] }),
      /^max_tokens: Field required$/,
    );
    await invalid(messages({ max_tokens: 1.5 }), /max_tokens: Input should be a valid integer/);
    await invalid(
      post({ model: 'tiny', max_tokens: 51, messages: [user('Hi')] }),
      /^max_tokens: 51 > 50, which is the maximum allowed number of output tokens for tiny$/,
    );
    await invalid(messages({ temperature: 1.5 }), /temperature: Input should be less than or equal to 1/);
  });

  it('keeps the system prompt at the top level and roles to user and assistant', async () => {
    await invalid(
      messages({ messages: [{ role: 'system', content: 'Be brief.' }, user('Hi')] }),
      /^messages: Unexpected role "system"\. The Messages API accepts a top-level `system` parameter, not "system" as an input message role\.$/,
    );
    await invalid(
      messages({ messages: [{ role: 'tool', content: 'x' }] }),
      /messages\.0\.role: Input should be 'user' or 'assistant'/,
    );
    await invalid(
      messages({ system: [{ type: 'text', text: '' }] }),
      /^system: text content blocks must be non-empty$/,
    );
    expect((await messages({ system: 'Be brief.' })).status).toBe(200);
  });

  it('checks the message list, its first role and consecutive turns', async () => {
    await invalid(messages({ messages: [] }), /at least one message is required/);
    await invalid(
      messages({ messages: [assistant('Hello'), user('Hi')] }),
      /^messages: first message must use the "user" role$/,
    );
    const merged = await messages({ messages: [user('Hi'), user('Are you there?')] });
    expect(merged.status).toBe(200);
  });

  it('refuses empty and whitespace content and trailing whitespace in the final assistant turn', async () => {
    await invalid(
      messages({ messages: [user('')] }),
      /^messages\.0: all messages must have non-empty content except for the optional final assistant message$/,
    );
    await invalid(messages({ messages: [user([])] }), /all messages must have non-empty content/);
    await invalid(
      messages({ messages: [user([{ type: 'text', text: '' }])] }),
      /^messages: text content blocks must be non-empty$/,
    );
    await invalid(
      messages({ messages: [user('Hi'), assistant(' \n'), user('?')] }),
      /^messages: text content blocks must contain non-whitespace text$/,
    );
    await invalid(
      messages({ messages: [user('Hi'), assistant('The answer is ')] }),
      /^messages: final assistant content cannot end with trailing whitespace$/,
    );
    expect((await messages({ messages: [user('Hi'), assistant('The answer is')] })).status).toBe(200);
  });

  it('answers every tool_use with a leading tool_result in the next user turn', async () => {
    const call = assistant([{ type: 'text', text: 'Looking.' }, toolUse('toolu_1')]);
    const missing =
      /^messages\.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1\. Each `tool_use` block must have a corresponding `tool_result` block in the next message\.$/;
    await invalid(messages({ tools: [weather], messages: [user('Hi'), call, user('Well?')] }), missing);
    await invalid(messages({ tools: [weather], messages: [user('Hi'), call] }), missing);
    await invalid(
      messages({
        tools: [weather],
        messages: [user('Hi'), call, user([{ type: 'text', text: 'Here:' }, toolResult('toolu_1')])],
      }),
      /tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
    );
    await invalid(
      messages({
        tools: [weather],
        messages: [user('Hi'), call, user('wait'), assistant('ok'), user([toolResult('toolu_1')])],
      }),
      /tool_use` ids were found without `tool_result` blocks immediately after/,
    );
    const answered = [user('Hi'), call, user([toolResult('toolu_1'), { type: 'text', text: 'Go on.' }])];
    expect((await messages({ tools: [weather], messages: answered })).status).toBe(200);
    const answeredInTwoMessages = [user('Hi'), call, user([toolResult('toolu_1')]), user('Go on.')];
    expect((await messages({ tools: [weather], messages: answeredInTwoMessages })).status).toBe(200);
  });

  it('refuses a tool_result that answers no tool_use of the previous assistant turn, and misplaced blocks', async () => {
    await invalid(
      messages({ messages: [user('Hi'), assistant('Sure.'), user([toolResult('toolu_7')])] }),
      /^messages\.2\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_7\. Each `tool_result` block must have a corresponding `tool_use` block in the previous message\.$/,
    );
    await invalid(
      messages({ messages: [user([toolUse('toolu_1')])] }),
      /`tool_use` blocks can only be in `assistant` messages/,
    );
    await invalid(
      messages({ messages: [user('Hi'), assistant([toolResult('toolu_1')])] }),
      /`tool_result` blocks can only be in `user` messages/,
    );
  });

  it('checks tool definitions', async () => {
    await invalid(
      messages({ tools: [{ ...weather, name: 'swarm.manage' }] }),
      /^tools\.0\.custom\.name: String should match pattern '\^\[a-zA-Z0-9_-\]\{1,64\}\$'$/,
    );
    await invalid(
      messages({ tools: [{ name: 'weather' }] }),
      /tools\.0\.custom\.input_schema: Field required/,
    );
    const union = { oneOf: [{ type: 'object' }, { type: 'object' }] };
    await invalid(
      messages({ tools: [{ name: 'pick', input_schema: union }] }),
      /tools\.0\.custom\.input_schema\.type: Input should be 'object'/,
    );
    await invalid(
      messages({ tools: [{ name: 'pick', input_schema: { type: 'object', ...union } }] }),
      /^tools\.0\.custom\.input_schema: input_schema does not support oneOf, allOf, or anyOf at the top level$/,
    );
    await invalid(messages({ tools: [weather, weather] }), /Tool names must be unique/);
  });

  it('checks tool_choice', async () => {
    await invalid(
      messages({ tool_choice: { type: 'any' } }),
      /tool_choice may only be specified while providing tools/,
    );
    await invalid(
      messages({ tools: [weather], tool_choice: { type: 'tool', name: 'other' } }),
      /Tool 'other' not found/,
    );
    await invalid(messages({ tools: [weather], tool_choice: { type: 'required' } }), /tool_choice\.type/);
    await invalid(
      messages({
        tools: [weather],
        tool_choice: { type: 'any' },
        thinking: { type: 'enabled', budget_tokens: 1024 },
      }),
      /Thinking may not be enabled when tool_choice forces tool use/,
    );
  });

  it('refuses prompts over the context window', async () => {
    await invalid(
      post({ model: 'tiny', max_tokens: 10, messages: [user('x'.repeat(800))] }),
      /^prompt is too long: \d+ tokens > 100 maximum$/,
    );
    await invalid(
      post({ model: 'tiny', max_tokens: 50, messages: [user('x'.repeat(300))] }),
      /^input length and `max_tokens` exceed context limit: \d+ \+ 50 > 100/,
    );
  });

  it('records every rejection', () => {
    expect(standIn.rejections.length).toBeGreaterThan(30);
    expect(standIn.rejections.every((r) => r.status >= 400 && !r.injected)).toBe(true);
  });
});

describe('Anthropic stand-in replies and faults', () => {
  let standIn: AnthropicStandIn;

  beforeAll(async () => {
    standIn = await startAnthropicStandIn();
  });
  afterAll(async () => {
    await standIn.stop();
  });

  const weather = { name: 'weather', input_schema: { type: 'object', properties: {} } };
  async function post(extra: Record<string, unknown> = {}) {
    const response = await fetch(`${standIn.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': standIn.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
        ...extra,
      }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
  }

  it('sends injected 529 and 429 faults as they are', async () => {
    standIn.enqueueError(529, anthropicErrorBody('overloaded_error', 'Overloaded'));
    standIn.enqueueError(
      429,
      anthropicErrorBody('rate_limit_error', 'Number of requests has exceeded your rate limit'),
      { 'retry-after': '3' },
    );
    const overloaded = await post();
    expect(overloaded.status).toBe(529);
    expect(overloaded.body.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(standIn.rejections.map((r) => r.injected)).toEqual([true, true]);
  });

  it('shapes tool uses, forced-tool JSON and max_tokens stops', async () => {
    standIn.enqueue(
      { text: 'Let me look.', toolUses: [{ name: 'weather', input: { city: 'Oslo' } }] },
      { json: { city: 'Oslo' } },
      { text: 'Cut', stopReason: 'max_tokens' },
    );
    const used = await post({ tools: [weather] });
    expect(used.body.stop_reason).toBe('tool_use');
    expect(used.body.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'weather', input: { city: 'Oslo' } },
    ]);
    const forced = await post({ tools: [weather], tool_choice: { type: 'tool', name: 'weather' } });
    expect(forced.body.content).toEqual([
      expect.objectContaining({ type: 'tool_use', name: 'weather', input: { city: 'Oslo' } }),
    ]);
    expect((await post()).body.stop_reason).toBe('max_tokens');
  });

  it('answers 500 naming the forgotten reply when nothing is queued', async () => {
    const { status, body } = await post();
    expect(status).toBe(500);
    expect(JSON.stringify(body)).toMatch(/forgot to enqueue a reply/);
  });
});
