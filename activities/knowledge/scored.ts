/** An item with its similarity to a query. */
export interface Scored<T> {
  item: T;
  /** Cosine similarity of the embeddings: 1 is the same text, 0 nothing in common (a little below 0 can happen). */
  score: number;
}

/** The similarities at which an embedder's texts count as related (they differ by embedder). */
export interface RelatedScores {
  /** A text at least this similar counts as related. */
  related: number;
  /** The best match of a search counts as related from this score on (lower or equal to `related`). */
  best: number;
}
