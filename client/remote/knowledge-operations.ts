import type {
  KnowledgeDocumentInput,
  KnowledgeDocumentSummary,
  KnowledgeHit,
  KnowledgeKind,
  KnowledgeSearchRequest,
} from '../../schema/knowledge.ts';

/** The tenant's knowledge base: semantic search, users' documents, and reindexing. */
export interface KnowledgeOperations {
  /**
   * The knowledge most similar to the query, best first.
   * @throws ValidationError for a bad request; EmbeddingError when the embedding provider fails.
   */
  search(request: KnowledgeSearchRequest): Promise<KnowledgeHit[]>;
  /**
   * Adds a document, split into overlapping chunks; the same id again replaces it.
   * @throws ValidationError for a bad document; EmbeddingError when the embedding provider fails.
   */
  addDocument(document: KnowledgeDocumentInput): Promise<{ id: string; chunks: number; embedded: number }>;
  /** The knowledge base's sources (documents, routines, agents, results, run summaries), newest first. */
  list(filter?: { kinds?: KnowledgeKind[]; limit?: number }): Promise<KnowledgeDocumentSummary[]>;
  /** Removes a document; whether there was one by that id. */
  removeDocument(id: string): Promise<boolean>;
  /**
   * Embeds again what another embedder wrote and syncs routines and agents (after changing the embedder).
   * @throws EmbeddingError when the embedding provider fails.
   */
  reindex(): Promise<{ embedded: number; removed: number }>;
}
