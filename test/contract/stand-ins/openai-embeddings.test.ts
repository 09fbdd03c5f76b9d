import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingError } from '../../../activities/knowledge/embedder.ts';
import { createOpenAiEmbedder } from '../../../activities/knowledge/openai-embedder.ts';
import { EmbeddingsConfig } from '../../../schema/knowledge.ts';
import { type EmbeddingsStandIn, startEmbeddingsStandIn } from '../../support/stand-ins/openai-embeddings.ts';

/**
 * The embeddings stand-in's rules, and the project's OpenAI-compatible embedder against it: valid use
 * passes with zero rejections; each refusal comes back in OpenAI's error shape and as an EmbeddingError.
 */
describe('OpenAI embeddings stand-in', () => {
  let standIn: EmbeddingsStandIn;

  beforeAll(async () => {
    standIn = await startEmbeddingsStandIn();
  });
  afterAll(() => standIn?.stop());

  const post = async (body: unknown, apiKey: string | null = standIn.apiKey) => {
    const response = await fetch(`${standIn.baseURL}/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const error = (param: string | null = null) =>
    expect.objectContaining({
      error: expect.objectContaining({ type: 'invalid_request_error', message: expect.any(String), param }),
    });

  const embedder = (
    overrides: Record<string, unknown> = {},
    env: NodeJS.ProcessEnv = { KEY: standIn.apiKey },
  ) =>
    createOpenAiEmbedder(
      EmbeddingsConfig.parse({
        provider: 'openai',
        baseUrl: standIn.baseURL,
        model: 'text-embedding-3-small',
        apiKeyEnv: 'KEY',
        dimensions: 256,
        ...overrides,
      }) as Extract<EmbeddingsConfig, { provider: 'openai' }>,
      env,
    );

  it('answers a valid request in the documented shape, one vector per input, in order', async () => {
    const answer = await post({ model: 'text-embedding-3-small', input: ['a cat', 'a dog'], dimensions: 8 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    const data = answer.body.data as { object: string; index: number; embedding: number[] }[];
    expect(data.map(({ object, index }) => [object, index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ]);
    expect(data[0]?.embedding).toHaveLength(8);
  });

  it('refuses what OpenAI refuses, with its status and error body', async () => {
    expect(await post({ model: 'text-embedding-3-small', input: 'x' }, null)).toMatchObject({
      status: 401,
    });
    const wrongKey = await post({ model: 'text-embedding-3-small', input: 'x' }, 'sk-wrong-key-1234');
    expect(wrongKey).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } });
    expect(await post('{not json')).toMatchObject({ status: 400, body: error() });
    expect(await post({ input: 'x' })).toMatchObject({ status: 400, body: error() });
    expect(await post({ model: 'no-such-model', input: 'x' })).toMatchObject({
      status: 404,
      body: { error: { code: 'model_not_found' } },
    });
    expect(await post({ model: 'text-embedding-3-small' })).toMatchObject({
      status: 400,
      body: error('input'),
    });
    expect(await post({ model: 'text-embedding-3-small', input: '' })).toMatchObject({
      status: 400,
      body: error('input'),
    });
    expect(await post({ model: 'text-embedding-3-small', input: [] })).toMatchObject({
      status: 400,
      body: error('input'),
    });
    expect(await post({ model: 'text-embedding-3-small', input: [1, 'a'] })).toMatchObject({ status: 400 });
    const tooLong = await post({ model: 'text-embedding-3-small', input: 'word '.repeat(8000) });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'context_length_exceeded' } } });
    const adaDimensions = await post({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 });
    expect(adaDimensions).toMatchObject({ status: 400, body: error('dimensions') });
    expect(await post({ model: 'text-embedding-3-small', input: 'x', dimensions: 0 })).toMatchObject({
      status: 400,
    });
    expect(await post({ model: 'text-embedding-3-small', input: 'x', dimensions: 4000 })).toMatchObject({
      status: 400,
    });
    expect(await fetch(`${standIn.url}/v1/embedding`, { method: 'POST' }).then((r) => r.status)).toBe(404);
  });

  it("serves the project's embedder with no rejection: named by model and size, similar texts closer", async () => {
    const before = standIn.rejections.length;
    const openai = embedder();
    expect(openai).toMatchObject({ name: 'openai:text-embedding-3-small@256', dimensions: 256 });
    const [invoices, bills, weather] = await openai.embed([
      'collect unpaid invoices',
      'remind customers about unpaid invoices',
      'tomorrow will be sunny',
    ]);
    const dot = (a: number[] = [], b: number[] = []) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
    expect(dot(invoices, bills)).toBeGreaterThan(dot(invoices, weather));
    expect(standIn.rejections.length).toBe(before);
    expect(standIn.embeddingRequests().at(-1)).toMatchObject({ dimensions: 256, encoding_format: 'float' });
  });

  it('turns refusals into EmbeddingErrors that say what the endpoint answered and how to fix it', async () => {
    await expect(embedder({}, { KEY: 'sk-wrong-key-1234' }).embed(['x'])).rejects.toThrow(
      /answered 401: Incorrect API key/,
    );
    await expect(embedder({ model: 'text-embedding-ada-002' }).embed(['x'])).rejects.toThrow(
      /answered 400: This model does not support specifying dimensions/,
    );
    await expect(
      embedder({ model: 'text-embedding-ada-002', sendDimensions: false }).embed(['x']),
    ).rejects.toThrow(/returned a vector of 1536 numbers, not 256: set embeddings.dimensions/);
    expect(() => embedder({}, {})).toThrow(EmbeddingError);
    await expect(
      createOpenAiEmbedder(
        EmbeddingsConfig.parse({
          provider: 'openai',
          baseUrl: 'http://127.0.0.1:9',
          model: 'm',
          dimensions: 8,
        }) as never,
        {},
      ).embed(['x']),
    ).rejects.toThrow(/cannot reach the embeddings endpoint/);
  });
});
