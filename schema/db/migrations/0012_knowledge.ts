import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * The knowledge base: embeddings of routines, agents, swarm results, run summaries and users'
 * documents (chunked), in one tenant table under migration 0009's row-level security.
 *
 * Dimensions: HNSW indexes only vectors of one fixed dimension, and a deployment may change its
 * embedder. So `embedding` is an untyped `vector` and each row names its `embedder` (which
 * includes the dimension, e.g. `lexical-hash-v1` is 2000, `openai:text-embedding-3-small@1536`);
 * each embedder gets its own partial expression index, `(embedding::vector(N)) vector_cosine_ops
 * where embedder = '<name>'`, which a search uses by filtering on the embedder and ordering by the
 * same expression (pgvector's documented way to index several dimensions in one column). This
 * migration creates the index of the offline default, `lexical-hash-v1`; a configured provider's
 * index is created when the knowledge base first writes with it (activities/store/knowledge-store.ts).
 *
 * pgvector must be installed on a real PostgreSQL server: Debian's `postgresql-<major>-pgvector`,
 * or `node --import tsx scripts/ensure-pgvector.ts`, which installs it or builds vendor/pgvector.
 * The embedded PGlite loads its own build (@electric-sql/pglite-pgvector).
 */

const role = 'swarmflow_tenant';
const tenantRows = sql`tenant_id = current_setting('swarmflow.tenant', true)`;
const lexicalEmbedder = 'lexical-hash-v1';
const lexicalDimensions = 2000;

export async function up(db: Kysely<unknown>): Promise<void> {
  await createVectorExtension(db);
  await db.schema
    .createTable('knowledge')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('routine', 'agent', 'swarmResult', 'runSummary', 'document')`),
    )
    .addColumn('source_id', 'text', (col) => col.notNull())
    .addColumn('chunk', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('content', 'text', (col) => col.notNull())
    .addColumn('metadata', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('embedder', 'text', (col) => col.notNull())
    .addColumn('embedding', sql`vector`, (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('knowledge_pkey', ['tenant_id', 'id'])
    .addUniqueConstraint('knowledge_source', ['tenant_id', 'kind', 'source_id', 'chunk'])
    .execute();
  await sql`
    create index ${sql.id(`knowledge_hnsw_${lexicalEmbedder.replaceAll('-', '_')}`)} on knowledge
    using hnsw ((embedding::vector(${sql.raw(String(lexicalDimensions))})) vector_cosine_ops)
    where embedder = ${sql.lit(lexicalEmbedder)}`.execute(db);
  await sql`grant select, insert, update, delete on knowledge to ${sql.id(role)}`.execute(db);
  await sql`alter table knowledge enable row level security`.execute(db);
  await sql`
    create policy tenant_isolation on knowledge for all to ${sql.id(role)}
    using (${tenantRows}) with check (${tenantRows})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('knowledge').execute();
  // The extension stays: other schemas of the database may use it.
}

/** `create extension vector`, failing with what to install when the server does not have pgvector. */
async function createVectorExtension(db: Kysely<unknown>): Promise<void> {
  try {
    await sql`create extension if not exists vector`.execute(db);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const version = await sql<{ server_version_num: string }>`show server_version_num`
      .execute(db)
      .then((result) => Math.floor(Number(result.rows[0]?.server_version_num) / 10_000))
      .catch(() => undefined);
    const pkg = `postgresql-${version ?? '<major>'}-pgvector`;
    throw new Error(
      `the knowledge base needs the pgvector extension, and "create extension vector" failed: ${message}. ` +
        `Install Debian's ${pkg} on the database server, or run \`node --import tsx scripts/ensure-pgvector.ts\` ` +
        '(it installs the package or builds vendor/pgvector with postgresql-server-dev-<major>); ' +
        'the extension must be created by a superuser the first time',
      { cause: error },
    );
  }
}
