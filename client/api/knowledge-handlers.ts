import type { ApiHandlers } from './operation-handlers.ts';

type KnowledgeHandlers = Pick<
  ApiHandlers,
  | 'searchKnowledge'
  | 'addKnowledgeDocument'
  | 'listKnowledge'
  | 'removeKnowledgeDocument'
  | 'reindexKnowledge'
>;

/** The knowledge base's REST operations (schema/api/knowledge-operations.ts), on the tenant-bound SDK. */
export const knowledgeHandlers: KnowledgeHandlers = {
  async searchKnowledge({ client }, { body }) {
    return { hits: await client.knowledge.search(body) };
  },
  addKnowledgeDocument: ({ client }, { body }) => client.knowledge.addDocument(body),
  async listKnowledge({ client }, { query }) {
    return {
      entries: await client.knowledge.list({
        ...(query.kinds === undefined ? {} : { kinds: query.kinds }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      }),
    };
  },
  async removeKnowledgeDocument({ client }, { params }) {
    return { id: params.documentId, removed: await client.knowledge.removeDocument(params.documentId) };
  },
  reindexKnowledge: ({ client }) => client.knowledge.reindex(),
};
