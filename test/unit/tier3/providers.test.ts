import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAICompletions, ChatOpenAIResponses } from '@langchain/openai';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { createChatModel, modelEndpoint } from '../../../activities/models/create-chat-model.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { ConfigurationError } from '../../../activities/resilience/errors.ts';
import { meteredLlmTurn } from '../../../activities/strategies/llm-turn-activity.ts';
import type { DeploymentConfigInput } from '../../../schema/deployment-config.ts';
import type { McpToolDescriptor } from '../../../schema/tools.ts';
import { type HttpStub, type StubReply, startHttpStub } from './support/http-stub.ts';

/**
 * The OpenAI-compatible and Anthropic paths, against local servers that answer as those APIs do
 * (no network is reachable here): options, base URL, keys, usage, tool calls, and errors.
 */

const sumTool: McpToolDescriptor = {
  server: 'everything',
  name: 'get-sum',
  inputSchema: { type: 'object', properties: { a: { type: 'number' } } },
  risk: 'low',
};
const signal = () => new AbortController().signal;
const stubs: HttpStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((stub) => stub.close()));
});

async function stub(reply: () => StubReply): Promise<HttpStub> {
  const started = await startHttpStub(reply);
  stubs.push(started);
  return started;
}

function activity(config: DeploymentConfigInput, env: NodeJS.ProcessEnv = {}) {
  const parsed = parseDeploymentConfig(config, '/');
  return { models: new ModelRegistry(parsed, env), breakers: new CircuitBreakers(), prices: parsed.prices };
}

/** A Messages API reply with these content blocks; stop_reason tool_use when one of them is a tool_use. */
const anthropicMessage = (content: Record<string, unknown>[], usage: Record<string, number>) => ({
  status: 200,
  body: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content,
    stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage,
  },
});

const completion = (message: Record<string, unknown>) => ({
  status: 200,
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'llama3.1',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
  },
});

describe('OpenAI-compatible models', () => {
  it('speak /chat/completions unless the config names the responses API, whatever the model name', () => {
    const chat = createChatModel(
      { provider: 'openai', model: 'gpt-5.5-pro-codex', baseURL: 'http://x/v1' },
      { name: 'a', env: {} },
    );
    expect(chat).toBeInstanceOf(ChatOpenAICompletions);
    const responses = createChatModel(
      { provider: 'openai', model: 'gpt-4o', baseURL: 'http://x/v1', api: 'responses' },
      { name: 'b', env: {} },
    );
    expect(responses).toBeInstanceOf(ChatOpenAIResponses);
  });

  it('are ChatOpenAI on the configured base URL', () => {
    const model = createChatModel(
      { provider: 'openai', model: 'llama3.1', baseURL: 'http://localhost:11434/v1', temperature: 0.2 },
      { name: 'local', env: {} },
    );
    expect(model).toBeInstanceOf(ChatOpenAICompletions);
    const openai = model as ChatOpenAICompletions;
    expect(openai.model).toBe('llama3.1');
    expect(openai.temperature).toBe(0.2);
    expect(
      modelEndpoint({ provider: 'openai', model: 'x', baseURL: 'http://localhost:11434/v1' }, 'local'),
    ).toBe('model openai http://localhost:11434/v1');
  });

  it('need their key variable set, OPENAI_API_KEY by default for api.openai.com', () => {
    const make = (env: NodeJS.ProcessEnv, apiKeyEnv?: string) =>
      createChatModel(
        { provider: 'openai', model: 'gpt-4o-mini', ...(apiKeyEnv ? { apiKeyEnv } : {}) },
        { name: 'gpt', env },
      );
    expect(() => make({})).toThrow(
      new ConfigurationError(
        'model "gpt" needs its API key in the environment variable OPENAI_API_KEY, which is not set',
      ),
    );
    expect((make({ OPENAI_API_KEY: 'sk-1' }) as ChatOpenAICompletions).apiKey).toBe('sk-1');
    expect((make({ TEAM_KEY: 'sk-2' }, 'TEAM_KEY') as ChatOpenAICompletions).apiKey).toBe('sk-2');
  });

  it('answer through the base URL with usage from usage_metadata and tool calls', async () => {
    const server = await stub(() =>
      completion({
        content: 'adding',
        tool_calls: [
          { id: 'call_9', type: 'function', function: { name: 'everything__get-sum', arguments: '{"a":2}' } },
        ],
      }),
    );
    const outcome = await meteredLlmTurn(
      activity(
        {
          models: {
            local: {
              provider: 'openai',
              model: 'llama3.1',
              baseURL: `${server.url}/v1`,
              apiKeyEnv: 'LOCAL_KEY',
            },
          },
          prices: { models: { local: { inputPer1k: 1000, outputPer1k: 1000 } } },
        },
        { LOCAL_KEY: 'secret' },
      ),
      { model: 'local', messages: [{ role: 'user', text: '2+?' }], tools: [sumTool] },
      signal(),
    );
    expect(outcome.message).toEqual({
      role: 'assistant',
      text: 'adding',
      toolCalls: [{ id: 'call_9', name: 'everything__get-sum', args: { a: 2 } }],
    });
    expect(outcome.usage).toMatchObject({ inputTokens: 11, outputTokens: 3, credits: expect.closeTo(14, 2) });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer secret');
    expect(request?.body).toMatchObject({
      model: 'llama3.1',
      tools: [{ type: 'function', function: { name: 'everything__get-sum' } }],
    });
  });

  it('turn a 429 into a retryable failure whose next retry waits as Retry-After says, asking once', async () => {
    const server = await stub(() => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'slow down', type: 'rate_limit' } },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', messages: [{ role: 'user', text: 'hi' }] },
        signal(),
      ),
    );
    expect(error).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 7000 });
    expect(server.requests).toHaveLength(1);
  });

  it("turn a 400 into a failure that is not retried, quoting the provider's own message", async () => {
    const server = await stub(() => ({
      status: 400,
      body: { error: { message: 'bad model', type: 'invalid' } },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', messages: [{ role: 'user', text: 'hi' }] },
        signal(),
      ),
    );
    expect(error).toMatchObject({
      type: 'ProviderRejected',
      nonRetryable: true,
      message: 'model "local": the provider answered HTTP 400: bad model',
    });
  });

  it('open the endpoint circuit after repeated 5xx, failing fast without asking', async () => {
    const server = await stub(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    const dependencies = activity({
      models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } },
    });
    const turn = () =>
      meteredLlmTurn(dependencies, { model: 'local', messages: [{ role: 'user', text: 'hi' }] }, signal());
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await failure(turn())).toMatchObject({ type: 'ProviderOverloaded', nonRetryable: false });
    }
    const open = await failure(turn());
    expect(open).toMatchObject({
      type: 'CircuitOpen',
      nonRetryable: false,
      nextRetryDelay: expect.any(Number),
    });
    expect(open.message).toMatch(
      /^model openai http:\/\/127\.0\.0\.1:\d+\/v1 is failing: its circuit is open/,
    );
    expect(server.requests).toHaveLength(5);
  });

  it('report an unreachable endpoint as a retryable network error', async () => {
    const server = await stub(() => completion({ content: '' }));
    await server.close();
    stubs.length = 0;
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', messages: [{ role: 'user', text: 'hi' }] },
        signal(),
      ),
    );
    expect(error).toMatchObject({ type: 'NetworkError', nonRetryable: false });
  });
});

describe('Anthropic models', () => {
  it('are ChatAnthropic, with their key from ANTHROPIC_API_KEY by default', () => {
    expect(() =>
      createChatModel(
        { provider: 'anthropic', model: 'claude-x', apiKeyEnv: 'ANTHROPIC_API_KEY' },
        { name: 'claude', env: {} },
      ),
    ).toThrow(/ANTHROPIC_API_KEY, which is not set/);
    const model = createChatModel(
      {
        provider: 'anthropic',
        model: 'claude-x',
        apiKeyEnv: 'ANTHROPIC_API_KEY',
        baseURL: 'https://proxy.example/anthropic',
      },
      { name: 'claude', env: { ANTHROPIC_API_KEY: 'ak' } },
    ) as ChatAnthropic;
    expect(model).toBeInstanceOf(ChatAnthropic);
    expect([model.model, model.apiKey, model.apiUrl]).toEqual([
      'claude-x',
      'ak',
      'https://proxy.example/anthropic',
    ]);
  });

  it('answer with text and tool_use blocks, usage from usage_metadata', async () => {
    const server = await stub(() =>
      anthropicMessage(
        [
          { type: 'text', text: 'Adding.' },
          { type: 'tool_use', id: 'toolu_1', name: 'everything__get-sum', input: { a: 2 } },
        ],
        { input_tokens: 21, output_tokens: 8 },
      ),
    );
    const outcome = await meteredLlmTurn(
      activity(
        { models: { claude: { provider: 'anthropic', model: 'claude-x', baseURL: server.url } } },
        { ANTHROPIC_API_KEY: 'ak' },
      ),
      {
        model: 'claude',
        messages: [
          { role: 'system', text: 'Use tools.' },
          { role: 'user', text: '2+?' },
        ],
        tools: [sumTool],
      },
      signal(),
    );
    expect(outcome.message).toEqual({
      role: 'assistant',
      text: 'Adding.',
      toolCalls: [{ id: 'toolu_1', name: 'everything__get-sum', args: { a: 2 } }],
    });
    expect(outcome.usage).toMatchObject({ inputTokens: 21, outputTokens: 8 });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe('ak');
    expect(request?.body).toMatchObject({
      model: 'claude-x',
      system: 'Use tools.',
      tools: [{ name: 'everything__get-sum' }],
    });
  });

  it("get the tools normalised by Anthropic's rules, not OpenAI's", async () => {
    const server = await stub(() =>
      anthropicMessage([{ type: 'text', text: 'None.' }], { input_tokens: 5, output_tokens: 1 }),
    );
    const listTool = {
      ...sumTool,
      inputSchema: { type: 'object', properties: { tags: { type: 'array' } } },
    };
    await meteredLlmTurn(
      activity(
        { models: { claude: { provider: 'anthropic', model: 'claude-x', baseURL: server.url } } },
        { ANTHROPIC_API_KEY: 'ak' },
      ),
      { model: 'claude', messages: [{ role: 'user', text: 'tags?' }], tools: [listTool] },
      signal(),
    );
    // OpenAI needs `items` on every array and would get `items: {}`; Anthropic gets the schema as it is.
    const body = server.requests[0]?.body as { tools: { input_schema: unknown }[] } | undefined;
    expect(body?.tools.map((tool) => tool.input_schema)).toEqual([listTool.inputSchema]);
  });

  it('leave retrying an overloaded API to Temporal: one request, a retryable failure', async () => {
    const server = await stub(() => ({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity(
          { models: { claude: { provider: 'anthropic', model: 'claude-x', baseURL: server.url } } },
          { ANTHROPIC_API_KEY: 'ak' },
        ),
        { model: 'claude', messages: [{ role: 'user', text: 'hi' }] },
        signal(),
      ),
    );
    expect(error).toMatchObject({
      type: 'ProviderOverloaded',
      nonRetryable: false,
      message: 'model "claude": the provider answered HTTP 529: busy',
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('model errors and fallbacks', () => {
  const hi = { messages: [{ role: 'user' as const, text: 'hi' }] };

  it('report a context-length overflow as such, with the token counts, never retried', async () => {
    const server = await stub(() => ({
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', ...hi },
        signal(),
      ),
    );
    expect(error).toMatchObject({
      type: 'ContextLengthExceeded',
      nonRetryable: true,
      message: expect.stringMatching(
        /^the conversation is too long for model "local": 9001 tokens, the model takes 8192/,
      ),
    });
  });

  it('refuse a wrong key (401) and an unknown model (404) without retrying, quoting the provider', async () => {
    const server = await stub(() => ({
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-wr***ng.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', ...hi },
        signal(),
      ),
    );
    expect(error).toMatchObject({ type: 'ProviderUnauthorized', nonRetryable: true });
    expect(error.message).toContain('Incorrect API key provided');
  });

  it('retry a 409 or a 5xx after the Retry-After it asks for', async () => {
    const server = await stub(() => ({
      status: 409,
      headers: { 'retry-after': '3' },
      body: { error: { message: 'busy' } },
    }));
    const error = await failure(
      meteredLlmTurn(
        activity({ models: { local: { provider: 'openai', model: 'm', baseURL: `${server.url}/v1` } } }),
        { model: 'local', ...hi },
        signal(),
      ),
    );
    expect(error).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false, nextRetryDelay: 3000 });
  });

  it("hand an overloaded model's turn to its fallback at once; the outcome names the model that answered", async () => {
    const primary = await stub(() => ({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } },
    }));
    const backup = await stub(() => completion({ content: 'from the backup' }));
    const outcome = await meteredLlmTurn(
      activity(
        {
          models: {
            claude: { provider: 'anthropic', model: 'claude-x', baseURL: primary.url, fallbacks: ['local'] },
            local: { provider: 'openai', model: 'm', baseURL: `${backup.url}/v1` },
          },
        },
        { ANTHROPIC_API_KEY: 'ak' },
      ),
      { model: 'claude', ...hi },
      signal(),
    );
    expect(outcome).toMatchObject({ model: 'local', message: { text: 'from the backup' } });
    expect(primary.requests).toHaveLength(1);
  });

  it('let Temporal retry a failing model until fallbackAfter attempts, then use the fallback', async () => {
    const primary = await stub(() => ({ status: 500, body: { error: { message: 'oops' } } }));
    const backup = await stub(() => completion({ content: 'backup' }));
    const dependencies = activity({
      models: {
        main: {
          provider: 'openai',
          model: 'm',
          baseURL: `${primary.url}/v1`,
          fallbacks: ['spare'],
          fallbackAfter: 2,
        },
        spare: { provider: 'openai', model: 'm', baseURL: `${backup.url}/v1` },
      },
    });
    const first = await failure(meteredLlmTurn(dependencies, { model: 'main', ...hi }, signal(), 1));
    expect(first).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    expect(backup.requests).toHaveLength(0);
    const second = await meteredLlmTurn(dependencies, { model: 'main', ...hi }, signal(), 2);
    expect(second.model).toBe('spare');
  });

  it('refuse a config whose fallbacks name an unknown model or the model itself', () => {
    expect(() =>
      parseDeploymentConfig(
        { models: { a: { provider: 'openai', model: 'm', baseURL: 'http://x/v1', fallbacks: ['a', 'b'] } } },
        '/',
      ),
    ).toThrow(
      /models\.a\.fallbacks\.0: is the model itself[\s\S]*models\.a\.fallbacks\.1: names no model in "models" \(a\)/,
    );
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
