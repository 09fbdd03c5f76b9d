import { z } from 'zod';

/** What a knowledge entry embeds. */
export const KnowledgeKind = z.enum([
  'routine',
  'agent',
  'swarmResult',
  'runSummary',
  'document',
  /** An improvement cycle's proposal and its decision (migration 0016). */
  'proposal',
]);
export type KnowledgeKind = z.infer<typeof KnowledgeKind>;

/** One entry (a chunk of a source) found by a search, with its cosine similarity to the query. */
export const KnowledgeHit = z.object({
  id: z.string(),
  kind: KnowledgeKind,
  sourceId: z.string(),
  chunk: z.number().int(),
  title: z.string(),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  /** Cosine similarity to the query, -1 to 1 (0 to 1 for the lexical embedder), rounded to 4 places. */
  score: z.number(),
});
export type KnowledgeHit = z.infer<typeof KnowledgeHit>;

export const maxKnowledgeQueryLength = 4_000;
export const maxKnowledgeLimit = 50;

/** A semantic search of the tenant's knowledge base. */
export const KnowledgeSearchRequest = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1, 'give a query: the text to find knowledge like')
    .max(maxKnowledgeQueryLength),
  kinds: z.array(KnowledgeKind).min(1).optional().describe('only these kinds; all when omitted'),
  limit: z.number().int().min(1).max(maxKnowledgeLimit).default(10),
});
export type KnowledgeSearchRequest = z.input<typeof KnowledgeSearchRequest>;

/** The longest document `knowledge add` takes, in characters. */
export const maxDocumentLength = 2_000_000;

/** A document a user adds: it is split into overlapping chunks, each embedded. */
export const KnowledgeDocumentInput = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._\-/:]+$/, 'use letters, digits and . _ - / : only')
    .describe("the document's id; adding the same id again replaces it"),
  title: z.string().min(1).max(500),
  text: z
    .string()
    .max(maxDocumentLength)
    .refine((text) => text.trim() !== '', 'the document is empty'),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type KnowledgeDocumentInput = z.input<typeof KnowledgeDocumentInput>;

/** A document in the knowledge base, as listed. */
export const KnowledgeDocumentSummary = z.object({
  kind: KnowledgeKind,
  sourceId: z.string(),
  title: z.string(),
  chunks: z.number().int(),
  embedder: z.string(),
  updatedAt: z.string(),
});
export type KnowledgeDocumentSummary = z.infer<typeof KnowledgeDocumentSummary>;

/**
 * The deployment's embedder: the offline `lexical` default, or any OpenAI-compatible `/embeddings`
 * endpoint. A provider's vectors are requested at `dimensions` (OpenAI's `dimensions` parameter;
 * other servers must return that many) and indexed under the name `openai:<model>@<dimensions>`.
 */
export const EmbeddingsConfig = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('lexical') }),
  z.strictObject({
    provider: z.literal('openai'),
    baseUrl: z.url().describe('e.g. https://api.openai.com/v1; /embeddings is appended'),
    model: z.string().min(1),
    apiKeyEnv: z.string().min(1).optional().describe('the environment variable holding the API key'),
    dimensions: z.number().int().min(1).max(2000).describe('HNSW indexes at most 2000 dimensions'),
    minScore: z
      .number()
      .min(-1)
      .max(1)
      .default(0.3)
      .describe('cosine similarity from which a text counts as related to a goal (depends on the model)'),
    sendDimensions: z
      .boolean()
      .default(true)
      .describe(
        'send `dimensions` in the request (text-embedding-3 models); false for servers that reject it',
      ),
  }),
]);
export type EmbeddingsConfig = z.infer<typeof EmbeddingsConfig>;
