import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createImprovementActivities } from '../../../activities/improvement/index.ts';
import type { Embedder } from '../../../activities/knowledge/embedder.ts';
import { EmbeddingError } from '../../../activities/knowledge/embedder.ts';
import { KnowledgeBase } from '../../../activities/knowledge/knowledge-base.ts';
import { createLexicalEmbedder } from '../../../activities/knowledge/lexical-embedder.ts';
import type { NewProposal } from '../../../activities/store/proposal-store.ts';
import { DeploymentConfig } from '../../../schema/deployment-config.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { proposalScores } from '../../support/proposal-scores.ts';

/**
 * The proposal activities index proposals best effort: with the embedding provider down, the
 * proposal and its decision are still recorded (the cycle goes on), the miss is logged, and
 * `knowledge reindex` writes the entry later, once, with the decision as it is then.
 */

const tenantId = 'acme';
let database: TestDatabase;

/** An embedder whose provider is down until `up` is set. */
const lexical = createLexicalEmbedder();
const flaky = { up: false };
const embedder: Embedder = {
  ...lexical,
  async embed(texts) {
    if (!flaky.up) throw new EmbeddingError('the embeddings endpoint answered 503');
    return lexical.embed(texts);
  },
};

const proposal: NewProposal = {
  tenantId,
  routineId: 'triage',
  cycleId: 'improve/acme/triage/c1',
  candidateVersion: 2,
  baselineVersion: 1,
  optimizer: 'modelSelection',
  change: 'model budget for step classify (premium)',
  decision: 'pending',
  why: 'the same score within ±0.02 at lower cost',
  scores: proposalScores({ baselineCostPerRun: 0.2, candidateCostPerRun: 0.02 }),
};

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.insertInto('tenants').values({ id: tenantId, name: 'Acme' }).execute();
});
afterAll(() => database?.drop());

describe('proposals in the knowledge base', () => {
  it('records the proposal and its decision though the knowledge write fails, logs it, and reindex repairs it', async () => {
    const knowledge = new KnowledgeBase(database.db, embedder);
    const tier3 = { deployment: DeploymentConfig.parse({}) } as never;
    const activities = createImprovementActivities({ db: database.db, tier3, knowledge });
    // Outside an activity, the best-effort write logs its miss as a plain line on stderr (activities/logging/activity-log.ts).
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const id = await activities.recordProposal(proposal);
      expect(id).toBe('improve/acme/triage/c1/v2');
      expect(await activities.recordProposalDecision({ tenantId, id, decision: 'approved', by: 'ana' })).toBe(
        true,
      );
      expect(warn.mock.calls.map(([message]) => message)).toEqual([
        `[WARN] could not add proposal ${id} to the knowledge base: the embeddings endpoint answered 503\n`,
        `[WARN] could not add proposal ${id} to the knowledge base: the embeddings endpoint answered 503\n`,
      ]);
    } finally {
      warn.mockRestore();
    }
    const row = await database.db.selectFrom('proposals').select('decision').executeTakeFirstOrThrow();
    expect(row.decision).toBe('approved');
    expect(await knowledge.list(tenantId, { kinds: ['proposal'] })).toEqual([]);

    flaky.up = true;
    await knowledge.reindex(tenantId);
    const hits = await knowledge.search(tenantId, {
      query: 'cheaper model for classify',
      kinds: ['proposal'],
    });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      id: 'proposal:improve/acme/triage/c1/v2#0',
      sourceId: 'improve/acme/triage/c1/v2',
    });
    expect(hits[0]?.content).toContain('Decision: approved (decided by ana)');
    expect(hits[0]?.metadata).toMatchObject({
      decision: 'approved',
      candidateVersion: 2,
      baselineVersion: 1,
    });

    // A later decision write rewrites the one entry in place.
    await activities.recordProposalDecision({
      tenantId,
      id: hits[0]?.sourceId as string,
      decision: 'expired',
    });
    expect((await knowledge.list(tenantId, { kinds: ['proposal'] })).map((entry) => entry.sourceId)).toEqual([
      'improve/acme/triage/c1/v2',
    ]);
  });
});
