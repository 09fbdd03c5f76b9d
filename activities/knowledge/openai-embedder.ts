import type { EmbeddingsConfig } from '../../schema/knowledge.ts';
import { type Embedder, EmbeddingError } from './embedder.ts';

type OpenAiEmbeddingsConfig = Extract<EmbeddingsConfig, { provider: 'openai' }>;

/** Texts per request: OpenAI takes up to 2048 inputs in one call. */
const batchSize = 256;
const requestTimeoutMs = 60_000;

/**
 * An embedder behind any OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, Ollama, vLLM,
 * LM Studio, llama.cpp's server...). Its name, `openai:<model>@<dimensions>`, names the vector
 * space, so vectors of another model or size are never compared with its own.
 */
export function createOpenAiEmbedder(config: OpenAiEmbeddingsConfig, env: NodeJS.ProcessEnv): Embedder {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const apiKey = config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv];
  if (config.apiKeyEnv !== undefined && !apiKey) {
    throw new EmbeddingError(
      `embeddings.apiKeyEnv names ${config.apiKeyEnv}, which is not set: set it to the embeddings API key`,
    );
  }
  const name = `openai:${config.model}@${config.dimensions}`;
  const embedBatch = async (texts: readonly string[]): Promise<number[][]> => {
    const body = {
      model: config.model,
      input: texts,
      encoding_format: 'float',
      ...(config.sendDimensions ? { dimensions: config.dimensions } : {}),
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw new EmbeddingError(`cannot reach the embeddings endpoint ${url}: ${String(error)}`, {
        cause: error,
      });
    }
    const answer = (await response.json().catch(() => undefined)) as
      | { data?: { index?: number; embedding?: unknown }[]; error?: { message?: string } }
      | undefined;
    if (!response.ok) {
      const why = answer?.error?.message ?? response.statusText;
      throw new EmbeddingError(`the embeddings endpoint ${url} answered ${response.status}: ${why}`);
    }
    const data = answer?.data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new EmbeddingError(
        `the embeddings endpoint ${url} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${texts.length} texts`,
      );
    }
    const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((item) => item.embedding);
    return vectors.map((vector) => {
      if (!Array.isArray(vector) || vector.length !== config.dimensions || !vector.every(Number.isFinite)) {
        throw new EmbeddingError(
          `the embeddings endpoint ${url} returned a vector of ${Array.isArray(vector) ? vector.length : 'no'} numbers, ` +
            `not ${config.dimensions}: set embeddings.dimensions to the model's size (or a size it accepts with "dimensions")`,
        );
      }
      return vector as number[];
    });
  };
  return {
    name,
    dimensions: config.dimensions,
    relatedScores: { related: config.minScore, best: config.minScore },
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  };
}
