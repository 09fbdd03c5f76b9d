import type { Kysely } from 'kysely';
import type { Embedder } from '../activities/knowledge/embedder.ts';
import { KnowledgeBase } from '../activities/knowledge/knowledge-base.ts';
import type { Database } from '../schema/db/tables.ts';
import type {
  KnowledgeDocumentInput,
  KnowledgeDocumentSummary,
  KnowledgeHit,
  KnowledgeKind,
  KnowledgeSearchRequest,
} from '../schema/knowledge.ts';
import type { KnowledgeOperations } from './remote/knowledge-operations.ts';

/** The tenant's knowledge base, on the database directly (see KnowledgeOperations). */
export class KnowledgeApi implements KnowledgeOperations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
    private readonly embedder: () => Promise<Embedder>,
  ) {}

  private async base(): Promise<KnowledgeBase> {
    return new KnowledgeBase(this.db, await this.embedder());
  }

  async search(request: KnowledgeSearchRequest): Promise<KnowledgeHit[]> {
    return (await this.base()).search(this.tenantId, request);
  }

  async addDocument(
    document: KnowledgeDocumentInput,
  ): Promise<{ id: string; chunks: number; embedded: number }> {
    return (await this.base()).addDocument(this.tenantId, document);
  }

  async list(filter: { kinds?: KnowledgeKind[]; limit?: number } = {}): Promise<KnowledgeDocumentSummary[]> {
    return (await this.base()).list(this.tenantId, filter);
  }

  async removeDocument(id: string): Promise<boolean> {
    return (await this.base()).remove(this.tenantId, { kind: 'document', sourceId: id });
  }

  async reindex(): Promise<{ embedded: number; removed: number }> {
    return (await this.base()).reindex(this.tenantId);
  }
}
