import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../activities/knowledge/create-embedder.ts';
import { KnowledgeBase } from '../../../activities/knowledge/knowledge-base.ts';
import { createLexicalEmbedder } from '../../../activities/knowledge/lexical-embedder.ts';
import { rankRoutines } from '../../../activities/knowledge/routine-ranking.ts';
import { compileAndRegisterRoutine } from '../../../activities/store/routine-registration.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { TenantDatabases } from '../../../activities/store/tenant-database.ts';
import { AgentCatalog } from '../../../activities/swarms/agent-catalog.ts';
import { planFromRoutines } from '../../../activities/swarms/rule-planner.ts';
import { Agent } from '../../../schema/agent.ts';
import type { Database } from '../../../schema/db/tables.ts';
import { EmbeddingsConfig, type KnowledgeHit } from '../../../schema/knowledge.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  handbook,
  knowledgeAgents,
  knowledgeRoutines,
  paraphrasedGoals,
  secretPlans,
} from '../../support/knowledge-catalog.ts';
import { type EmbeddingsStandIn, startEmbeddingsStandIn } from '../../support/stand-ins/openai-embeddings.ts';
import { storeBackends } from '../store/backends.ts';

const acme = 'acme';
const globex = 'globex';
const queries = [
  ...paraphrasedGoals.map(({ goal }) => goal),
  'how many days of holiday do I get',
  'laptop password security',
  'who handles payments',
];

/** What each backend answered, by query, for the parity check at the end. */
const answers = new Map<string, Map<string, { id: string; score: number }[]>>();

async function seed(db: Kysely<Database>, knowledge: KnowledgeBase): Promise<void> {
  await db
    .insertInto('tenants')
    .values([
      { id: acme, name: 'Acme' },
      { id: globex, name: 'Globex' },
    ])
    .execute();
  const routines = new RoutineStore(db);
  const agents = new AgentCatalog(db);
  for (const tenant of [acme, globex]) {
    for (const routine of knowledgeRoutines) await compileAndRegisterRoutine(routines, tenant, routine);
    for (const agent of knowledgeAgents) await agents.upsert(tenant, Agent.parse(agent));
  }
  await knowledge.addDocument(acme, handbook);
  await knowledge.addDocument(globex, secretPlans);
}

describe.each(storeBackends)('the knowledge base on $name', (backend) => {
  let database: Awaited<ReturnType<typeof backend.open>>;
  let knowledge: KnowledgeBase;

  beforeAll(async () => {
    database = await backend.open();
    knowledge = new KnowledgeBase(database.db, createLexicalEmbedder());
    await seed(database.db, knowledge);
  });
  afterAll(() => database?.drop());

  it('finds the routine a paraphrased goal means, first', async () => {
    for (const { goal, routineId } of paraphrasedGoals) {
      const hits = await knowledge.search(acme, { query: goal, kinds: ['routine'], limit: 3 });
      expect(hits[0], goal).toMatchObject({ kind: 'routine', sourceId: routineId });
    }
  });

  it('lets the rule planner plan the routine a paraphrased goal means', async () => {
    const catalog = await new RoutineStore(database.db).listInterfaces(acme);
    for (const { goal, routineId } of paraphrasedGoals) {
      const ranked = await rankRoutines(knowledge, acme, goal, catalog);
      const plan = planFromRoutines({
        ranked,
        relatedScores: knowledge.embedder.relatedScores,
        team: [],
        maxSubtasks: 3,
        input: { customerId: 'c-1', employeeName: 'Ada', week: '2026-W49' },
      });
      expect(plan.kind === 'planned' && plan.subtasks.map(({ routineId }) => routineId), goal).toEqual([
        routineId,
      ]);
    }
  });

  it('finds chunks of documents, agents, and never another tenant’s documents', async () => {
    const holiday = await knowledge.search(acme, { query: 'how many days of holiday do I get', limit: 3 });
    expect(holiday[0]).toMatchObject({ kind: 'document', sourceId: 'handbook', title: 'Employee handbook' });
    const payments = await knowledge.search(acme, {
      query: 'who handles payments',
      kinds: ['agent'],
      limit: 1,
    });
    expect(payments[0]).toMatchObject({ kind: 'agent', sourceId: 'billing-clerk' });

    const acmeHits = await knowledge.search(acme, { query: 'laptop password security', limit: 10 });
    expect(acmeHits[0]?.sourceId).toBe('handbook');
    expect(acmeHits.map((hit) => hit.sourceId)).not.toContain('secret-plans');
    const globexHits = await knowledge.search(globex, { query: 'laptop password security', limit: 10 });
    expect(globexHits[0]?.sourceId).toBe('secret-plans');
    expect(globexHits.map((hit) => hit.sourceId)).not.toContain('handbook');
  });

  it('keeps the catalog in step: a deleted routine is no longer found, a changed one is embedded again', async () => {
    const routines = new RoutineStore(database.db);
    await compileAndRegisterRoutine(routines, acme, {
      ...(knowledgeRoutines[1] as (typeof knowledgeRoutines)[number]),
      id: 'plan-offsite',
      name: 'Plan offsite',
      description: 'Books a venue for the team offsite',
    });
    expect(
      (await knowledge.search(acme, { query: 'book a venue', kinds: ['routine'], limit: 1 }))[0]?.sourceId,
    ).toBe('plan-offsite');
    await routines.delete(acme, 'plan-offsite');
    const after = await knowledge.search(acme, { query: 'book a venue', kinds: ['routine'], limit: 5 });
    expect(after.map((hit) => hit.sourceId)).not.toContain('plan-offsite');
    expect(await knowledge.syncCatalog(acme)).toEqual({ embedded: 0, removed: 0 });
  });

  it('replaces a document added again under its id, and lists and removes it', async () => {
    await knowledge.addDocument(acme, { id: 'memo', title: 'Memo', text: 'The canteen opens at noon.' });
    await knowledge.addDocument(acme, { id: 'memo', title: 'Memo', text: 'The canteen opens at eleven.' });
    const hits = await knowledge.search(acme, { query: 'canteen opening', kinds: ['document'], limit: 5 });
    expect(hits.filter((hit) => hit.sourceId === 'memo').map((hit) => hit.content)).toEqual([
      'The canteen opens at eleven.',
    ]);
    expect(
      (await knowledge.list(acme, { kinds: ['document'] })).map((entry) => entry.sourceId).sort(),
    ).toEqual(['handbook', 'memo']);
    expect(await knowledge.remove(acme, { kind: 'document', sourceId: 'memo' })).toBe(true);
    expect(await knowledge.remove(acme, { kind: 'document', sourceId: 'memo' })).toBe(false);
  });

  it('answers every query of the parity check', async () => {
    const byQuery = new Map<string, { id: string; score: number }[]>();
    for (const query of queries) {
      for (const tenant of [acme, globex]) {
        const hits: KnowledgeHit[] = await knowledge.search(tenant, { query, limit: 8 });
        byQuery.set(
          `${tenant}: ${query}`,
          hits.map(({ id, score }) => ({ id, score })),
        );
      }
    }
    answers.set(backend.name, byQuery);
  });
});

describe('PGlite and PostgreSQL', () => {
  it('give the same ranked results, with the same scores, for the same data and queries', () => {
    const [postgres, pglite] = storeBackends.map((backend) => answers.get(backend.name));
    expect(postgres?.size).toBe(queries.length * 2);
    expect(pglite).toEqual(postgres);
  });
});

describe('tenant isolation under row-level security', () => {
  let database: TestDatabase;
  let tenants: TenantDatabases;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seed(database.db, new KnowledgeBase(database.db, createLexicalEmbedder()));
    tenants = new TenantDatabases(database.url);
  });
  afterAll(async () => {
    await tenants?.close();
    await database?.drop();
  });

  it('a tenant-scoped connection sees only its tenant’s knowledge, even when asked for another tenant', async () => {
    const asAcme = new KnowledgeBase(tenants.forTenant(acme), createLexicalEmbedder());
    const own = await asAcme.search(acme, {
      query: 'laptop password security',
      kinds: ['document'],
      limit: 10,
    });
    expect(own.map((hit) => hit.sourceId)).toEqual(['handbook']);
    // The query names globex, but the connection is acme's: row-level security returns nothing.
    expect(
      await asAcme.search(globex, { query: 'laptop password security', kinds: ['document'], limit: 10 }),
    ).toEqual([]);
    expect((await asAcme.list(globex)).length).toBe(0);
  });
});

describe('an OpenAI-compatible embedder (the strict stand-in)', () => {
  let database: TestDatabase;
  let standIn: EmbeddingsStandIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    standIn = await startEmbeddingsStandIn();
    await seed(database.db, new KnowledgeBase(database.db, createLexicalEmbedder()));
  });
  afterAll(async () => {
    await standIn?.stop();
    await database?.drop();
  });

  it('gets an HNSW index of its own, and after reindex searches only its own vectors', async () => {
    const embedder = createEmbedder(
      EmbeddingsConfig.parse({
        provider: 'openai',
        baseUrl: standIn.baseURL,
        model: 'text-embedding-3-small',
        apiKeyEnv: 'EMBEDDINGS_KEY',
        dimensions: 64,
      }),
      { EMBEDDINGS_KEY: standIn.apiKey },
    );
    const knowledge = new KnowledgeBase(database.db, embedder);
    // Before reindexing, the lexical rows are not compared with the provider's vectors; the catalog syncs.
    const documents = await knowledge.search(acme, {
      query: 'laptop password',
      kinds: ['document'],
      limit: 5,
    });
    expect(documents).toEqual([]);
    const reindexed = await knowledge.reindex(acme);
    expect(reindexed.embedded).toBeGreaterThan(0);
    const hits = await knowledge.search(acme, { query: 'laptop password', kinds: ['document'], limit: 5 });
    expect(hits[0]).toMatchObject({ sourceId: 'handbook' });
    expect(await knowledge.reindex(acme)).toEqual({ embedded: 0, removed: 0 });

    const indexes = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where tablename = 'knowledge' and indexdef like '%hnsw%'`.execute(
      database.db,
    );
    expect(indexes.rows.map((row) => row.indexdef).join('\n')).toMatch(
      /vector\(64\).*embedder = 'openai:text-embedding-3-small@64'/,
    );
    expect(standIn.rejections).toEqual([]);
  });
});
