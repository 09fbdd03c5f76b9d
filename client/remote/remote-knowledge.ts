import {
  KnowledgeDocumentInput,
  type KnowledgeDocumentSummary,
  type KnowledgeHit,
  type KnowledgeKind,
  KnowledgeSearchRequest,
} from '../../schema/knowledge.ts';
import { parseInput } from '../../schema/validation.ts';
import type { ApiTransport } from './api-transport.ts';
import type { KnowledgeOperations } from './knowledge-operations.ts';

/** The tenant's knowledge base over the REST API, as the direct SDK's `client.knowledge`. */
export class RemoteKnowledge implements KnowledgeOperations {
  constructor(private readonly transport: ApiTransport) {}

  async search(request: KnowledgeSearchRequest): Promise<KnowledgeHit[]> {
    const body = parseInput(KnowledgeSearchRequest, request, 'knowledge search');
    return (await this.transport.call('searchKnowledge', { body })).hits;
  }

  addDocument(document: KnowledgeDocumentInput): Promise<{ id: string; chunks: number; embedded: number }> {
    const body = parseInput(KnowledgeDocumentInput, document, 'document');
    return this.transport.call('addKnowledgeDocument', { body });
  }

  async list(filter: { kinds?: KnowledgeKind[]; limit?: number } = {}): Promise<KnowledgeDocumentSummary[]> {
    const query = {
      ...(filter.kinds === undefined ? {} : { kinds: filter.kinds.join(',') }),
      ...(filter.limit === undefined ? {} : { limit: filter.limit }),
    };
    return (await this.transport.call('listKnowledge', { query })).entries;
  }

  async removeDocument(id: string): Promise<boolean> {
    return (await this.transport.call('removeKnowledgeDocument', { params: { documentId: id } })).removed;
  }

  reindex(): Promise<{ embedded: number; removed: number }> {
    return this.transport.call('reindexKnowledge');
  }
}
