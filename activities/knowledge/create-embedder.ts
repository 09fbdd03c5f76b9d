import type { EmbeddingsConfig } from '../../schema/knowledge.ts';
import type { Embedder } from './embedder.ts';
import { createLexicalEmbedder } from './lexical-embedder.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

/**
 * The deployment's embedder: an OpenAI-compatible endpoint when `embeddings` configures one,
 * else the offline lexical default (`lexical-hash-v1`).
 * @throws EmbeddingError when the configured API key variable is not set.
 */
export function createEmbedder(
  config: EmbeddingsConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Embedder {
  if (config === undefined || config.provider === 'lexical') return createLexicalEmbedder();
  return createOpenAiEmbedder(config, env);
}
