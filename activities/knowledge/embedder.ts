import type { RelatedScores } from './scored.ts';

/**
 * Turns texts into vectors for the knowledge base. `name` identifies the vector space: vectors of
 * different embedders are never compared, and each embedder has its own HNSW index (migration 0012).
 */
export interface Embedder {
  /** e.g. `lexical-hash-v1` or `openai:text-embedding-3-small@1536`; stored with every row. */
  readonly name: string;
  readonly dimensions: number;
  /** Where its similarities mean "related": calibrated per embedder (see lexical-embedder.ts). */
  readonly relatedScores: RelatedScores;
  /**
   * One vector of `dimensions` numbers per text, in order.
   * @throws EmbeddingError when the provider refuses or cannot be reached.
   */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** An embedding provider refused a request or could not be reached; the message says which and why. */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}
