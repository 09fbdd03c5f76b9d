import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { JsonValue } from '../../schema/json.ts';
import type { KnowledgeDocumentSummary, KnowledgeHit, KnowledgeKind } from '../../schema/knowledge.ts';
import type { Embedder } from '../knowledge/embedder.ts';

/**
 * The knowledge base's rows (migration 0012): chunks of sources (a routine, an agent, a swarm's
 * result, a run's summary, a user's document), each embedded by one embedder. Writes are keyed by
 * (tenant, kind, source, chunk) and skip a chunk whose text and embedder did not change, so
 * repeating one (a retried activity, a second sync) embeds nothing again.
 */

/** One chunk to store. */
export interface KnowledgeEntry {
  kind: KnowledgeKind;
  sourceId: string;
  chunk: number;
  title: string;
  content: string;
  metadata?: Record<string, JsonValue>;
}

export interface KnowledgeSearchOptions {
  kinds?: readonly KnowledgeKind[];
  limit: number;
}

/** The row id of a chunk: unique per tenant. */
export const knowledgeId = (kind: KnowledgeKind, sourceId: string, chunk: number) =>
  `${kind}:${sourceId}#${chunk}`;

/** What decides whether a chunk must be embedded again. */
export function contentHash(embedder: Embedder, entry: Pick<KnowledgeEntry, 'title' | 'content'>): string {
  return createHash('sha256')
    .update(`${embedder.name}\n${entry.title}\n${entry.content}`)
    .digest('hex')
    .slice(0, 32);
}

/** pgvector's text form of a vector. */
export const vectorLiteral = (vector: readonly number[]) => `[${vector.join(',')}]`;

/**
 * Stores the chunks of one or more sources, embedding only chunks that changed.
 * @throws EmbeddingError when the embedder fails.
 */
export async function upsertKnowledge(
  db: Kysely<Database>,
  embedder: Embedder,
  tenantId: string,
  entries: readonly KnowledgeEntry[],
): Promise<{ embedded: number }> {
  if (entries.length === 0) return { embedded: 0 };
  await ensureEmbedderIndex(db, embedder);
  const ids = entries.map((entry) => knowledgeId(entry.kind, entry.sourceId, entry.chunk));
  const stored = await db
    .selectFrom('knowledge')
    .select(['id', 'content_hash'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  const storedHash = new Map(stored.map((row) => [row.id, row.content_hash]));
  const changed = entries.filter(
    (entry, index) => storedHash.get(ids[index] as string) !== contentHash(embedder, entry),
  );
  if (changed.length === 0) return { embedded: 0 };
  const vectors = await embedder.embed(changed.map((entry) => `${entry.title}\n${entry.content}`));
  for (const [index, entry] of changed.entries()) {
    const vector = vectors[index];
    if (vector?.length !== embedder.dimensions) {
      throw new Error(
        `embedder ${embedder.name} returned ${vector?.length ?? 0} numbers for a text, not ${embedder.dimensions}`,
      );
    }
    await db
      .insertInto('knowledge')
      .values({
        tenant_id: tenantId,
        id: knowledgeId(entry.kind, entry.sourceId, entry.chunk),
        kind: entry.kind,
        source_id: entry.sourceId,
        chunk: entry.chunk,
        title: entry.title,
        content: entry.content,
        metadata: JSON.stringify(entry.metadata ?? {}),
        content_hash: contentHash(embedder, entry),
        embedder: embedder.name,
        embedding: vectorLiteral(vector),
      })
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          content: eb.ref('excluded.content'),
          metadata: eb.ref('excluded.metadata'),
          content_hash: eb.ref('excluded.content_hash'),
          embedder: eb.ref('excluded.embedder'),
          embedding: eb.ref('excluded.embedding'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
  return { embedded: changed.length };
}

/**
 * Replaces a source's chunks with `entries` (all of one kind and source): stores them and
 * deletes the source's chunks beyond them.
 */
export async function replaceKnowledgeSource(
  db: Kysely<Database>,
  embedder: Embedder,
  tenantId: string,
  source: { kind: KnowledgeKind; sourceId: string },
  entries: readonly KnowledgeEntry[],
): Promise<{ embedded: number; chunks: number }> {
  const { embedded } = await upsertKnowledge(db, embedder, tenantId, entries);
  await db
    .deleteFrom('knowledge')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', source.kind)
    .where('source_id', '=', source.sourceId)
    .where('chunk', '>=', entries.length)
    .execute();
  return { embedded, chunks: entries.length };
}

/** Deletes a source's chunks; whether there were any. */
export async function removeKnowledgeSource(
  db: Kysely<Database>,
  tenantId: string,
  source: { kind: KnowledgeKind; sourceId: string },
): Promise<boolean> {
  const { numDeletedRows } = await db
    .deleteFrom('knowledge')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', source.kind)
    .where('source_id', '=', source.sourceId)
    .executeTakeFirst();
  return numDeletedRows > 0n;
}

/** The content hash of each source's first chunk of one kind, by source id (for syncing the catalog). */
export async function knowledgeSourceHashes(
  db: Kysely<Database>,
  tenantId: string,
  kind: KnowledgeKind,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('knowledge')
    .select(['source_id', 'content_hash'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('chunk', '=', 0)
    .execute();
  return new Map(rows.map((row) => [row.source_id, row.content_hash]));
}

/**
 * The tenant's chunks most similar to `query` by cosine similarity of `embedder`'s vectors, best
 * first (ties by id), through the embedder's HNSW index. Only rows that `embedder` wrote are
 * compared: after changing the embedder, `knowledge reindex` embeds the catalog again.
 * @throws EmbeddingError when the embedder fails.
 */
export async function searchKnowledge(
  db: Kysely<Database>,
  embedder: Embedder,
  tenantId: string,
  query: string,
  options: KnowledgeSearchOptions,
): Promise<KnowledgeHit[]> {
  const [vector] = await embedder.embed([query]);
  if (vector === undefined) return [];
  const dims = sql.raw(String(embedder.dimensions));
  const queryVector = sql`${vectorLiteral(vector)}::vector(${dims})`;
  const distance = sql`(embedding::vector(${dims}) <=> ${queryVector})`;
  const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : undefined;
  const rows = await db.transaction().execute(async (trx) => {
    // A filtered HNSW scan returns at most ef_search rows before the filter: scan on until enough
    // of this tenant's rows are found (pgvector 0.8's iterative index scans).
    await sql`set local hnsw.iterative_scan = strict_order`.execute(trx);
    return trx
      .selectFrom('knowledge')
      .select(['id', 'kind', 'source_id', 'chunk', 'title', 'content', 'metadata'])
      .select(sql<number>`1 - ${distance}`.as('score'))
      .where('tenant_id', '=', tenantId)
      .where('embedder', '=', embedder.name)
      .$if(kinds !== undefined, (qb) => qb.where('kind', 'in', kinds as KnowledgeKind[]))
      .orderBy(distance)
      .limit(options.limit)
      .execute();
  });
  return rows
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      sourceId: row.source_id,
      chunk: row.chunk,
      title: row.title,
      content: row.content,
      metadata: row.metadata,
      score: Math.round(Number(row.score) * 10_000) / 10_000,
    }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The tenant's knowledge sources (one line per source, with its chunk count), newest first. */
export async function listKnowledge(
  db: Kysely<Database>,
  tenantId: string,
  options: { kinds?: readonly KnowledgeKind[]; limit?: number } = {},
): Promise<KnowledgeDocumentSummary[]> {
  const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : undefined;
  const rows = await db
    .selectFrom('knowledge')
    .select(['kind', 'source_id', 'embedder'])
    .select((eb) => [
      eb.fn.min('title').as('title'),
      eb.fn.countAll<string>().as('chunks'),
      eb.fn.max('updated_at').as('updated_at'),
    ])
    .where('tenant_id', '=', tenantId)
    .$if(kinds !== undefined, (qb) => qb.where('kind', 'in', kinds as KnowledgeKind[]))
    .groupBy(['kind', 'source_id', 'embedder'])
    .orderBy('updated_at', 'desc')
    .orderBy('source_id')
    .limit(options.limit ?? 200)
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    sourceId: row.source_id,
    title: row.title,
    chunks: Number(row.chunks),
    embedder: row.embedder,
    updatedAt: new Date(row.updated_at).toISOString(),
  }));
}

const indexedEmbedders = new WeakMap<Kysely<Database>, Set<string>>();

/**
 * Creates the HNSW index of an embedder other than the default (whose index migration 0012
 * made), once per process and database. Needs the table owner's rights: a tenant-scoped
 * connection that may not create it leaves it to the workers, and searches still work (unindexed).
 */
export async function ensureEmbedderIndex(db: Kysely<Database>, embedder: Embedder): Promise<void> {
  const done = indexedEmbedders.get(db) ?? new Set<string>();
  indexedEmbedders.set(db, done);
  if (done.has(embedder.name)) return;
  const name = `knowledge_hnsw_${createHash('sha256').update(embedder.name).digest('hex').slice(0, 16)}`;
  const exists = await sql<{ found: number }>`
    select 1 as found from pg_indexes
    where tablename = 'knowledge' and (indexname = ${name} or indexdef like ${`%embedder = '${embedder.name.replaceAll("'", "''")}'%`})`.execute(
    db,
  );
  if (exists.rows.length === 0) {
    await sql`
      create index if not exists ${sql.id(name)} on knowledge
      using hnsw ((embedding::vector(${sql.raw(String(embedder.dimensions))})) vector_cosine_ops)
      where embedder = ${sql.lit(embedder.name)}`
      .execute(db)
      .catch(() => undefined);
  }
  done.add(embedder.name);
}
