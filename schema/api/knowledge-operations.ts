import { z } from 'zod';
import {
  KnowledgeDocumentInput,
  KnowledgeDocumentSummary,
  KnowledgeHit,
  KnowledgeKind,
  KnowledgeSearchRequest,
} from '../knowledge.ts';
import { defineOperation } from './operation.ts';

/**
 * The knowledge base under `/v1/knowledge`: semantic search of the tenant's routines, agents,
 * swarm results, run summaries and documents, and the documents users add. Reading takes
 * `routines:read` and changing documents `routines:write` (the catalog's permissions: the
 * knowledge base describes the catalog and what ran on it).
 */

export const KnowledgeDocumentId = KnowledgeDocumentInput.shape.id;

const kindsQuery = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    const kinds = value.split(',').map((kind) => kind.trim());
    const parsed = z.array(KnowledgeKind).safeParse(kinds);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: `give kinds separated by commas, of: ${KnowledgeKind.options.join(', ')}`,
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .describe(`comma-separated: ${KnowledgeKind.options.join(', ')}`);

export const knowledgeOperations = {
  searchKnowledge: defineOperation({
    method: 'POST',
    path: '/v1/knowledge/search',
    family: 'knowledge',
    permission: 'routines:read',
    summary: "Semantic search of the tenant's knowledge base, most similar first",
    body: KnowledgeSearchRequest,
    response: z.object({ hits: z.array(KnowledgeHit) }),
    status: 200,
  }),
  addKnowledgeDocument: defineOperation({
    method: 'POST',
    path: '/v1/knowledge/documents',
    family: 'knowledge',
    permission: 'routines:write',
    summary: 'Add a document (chunked and embedded); the same id again replaces it',
    body: KnowledgeDocumentInput,
    response: z.object({ id: z.string(), chunks: z.int(), embedded: z.int() }),
    status: 201,
    audit: { action: 'knowledge.add', target: 'knowledge' },
  }),
  listKnowledge: defineOperation({
    method: 'GET',
    path: '/v1/knowledge',
    family: 'knowledge',
    permission: 'routines:read',
    summary: "The knowledge base's sources, newest first",
    query: z.strictObject({
      kinds: kindsQuery,
      limit: z.coerce.number().int().positive().max(1000).optional().describe('200 when omitted'),
    }),
    response: z.object({ entries: z.array(KnowledgeDocumentSummary) }),
    status: 200,
  }),
  removeKnowledgeDocument: defineOperation({
    method: 'DELETE',
    path: '/v1/knowledge/documents/:documentId',
    family: 'knowledge',
    permission: 'routines:write',
    summary: 'Remove a document',
    params: z.strictObject({ documentId: KnowledgeDocumentId }),
    response: z.object({ id: z.string(), removed: z.boolean() }),
    status: 200,
    audit: { action: 'knowledge.remove', target: 'knowledge' },
  }),
  reindexKnowledge: defineOperation({
    method: 'POST',
    path: '/v1/knowledge/reindex',
    family: 'knowledge',
    permission: 'routines:write',
    summary: "Embed the tenant's knowledge again with the deployment's embedder",
    response: z.object({ embedded: z.int(), removed: z.int() }),
    status: 200,
    audit: { action: 'knowledge.reindex', target: 'knowledge' },
  }),
} as const;
