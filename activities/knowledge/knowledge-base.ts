import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { JsonValue } from '../../schema/json.ts';
import {
  KnowledgeDocumentInput,
  type KnowledgeDocumentSummary,
  type KnowledgeHit,
  type KnowledgeKind,
  KnowledgeSearchRequest,
} from '../../schema/knowledge.ts';
import type { Proposal } from '../../schema/proposal.ts';
import type { RunOutcome } from '../../schema/run.ts';
import { parseInput } from '../../schema/validation.ts';
import {
  contentHash,
  type KnowledgeEntry,
  knowledgeSourceHashes,
  listKnowledge,
  removeKnowledgeSource,
  replaceKnowledgeSource,
  searchKnowledge,
  upsertKnowledge,
} from '../store/knowledge-store.ts';
import { allProposals, findProposal } from '../store/proposal-store.ts';
import { RoutineStore } from '../store/routine-store.ts';
import { AgentCatalog } from '../swarms/agent-catalog.ts';
import { agentKnowledge, routineKnowledge } from './catalog-knowledge.ts';
import { chunkText } from './chunking.ts';
import type { Embedder } from './embedder.ts';
import { proposalKnowledge } from './proposal-knowledge.ts';

const catalogKinds: readonly KnowledgeKind[] = ['routine', 'agent'];
/** A run summary's or swarm result's text is cut to this many characters: it is a summary. */
const maxSummaryLength = 2_000;

/**
 * A tenant's knowledge base, bound to the database and the deployment's embedder.
 *
 * The catalog (routines and agents) is kept in step with the catalog tables by content hash:
 * before a search that includes routines or agents, entries whose text changed are embedded
 * again and entries of deleted ones removed. So every path that registers a routine or upserts an
 * agent (REST, CLI, MCP, `resource_manage`, improvement) is indexed without each calling it, and a
 * search never finds a routine that is gone. Swarm results and run summaries are written when a
 * swarm or run ends (the read-model activities); documents when a user adds them.
 */
export class KnowledgeBase {
  private readonly routines: RoutineStore;
  private readonly agents: AgentCatalog;

  constructor(
    private readonly db: Kysely<Database>,
    readonly embedder: Embedder,
  ) {
    this.routines = new RoutineStore(db);
    this.agents = new AgentCatalog(db);
  }

  /**
   * The tenant's knowledge most similar to the query.
   * @throws ValidationError when the request is not a KnowledgeSearchRequest.
   * @throws EmbeddingError when the embedding provider fails.
   */
  async search(tenantId: string, request: KnowledgeSearchRequest): Promise<KnowledgeHit[]> {
    const { query, kinds, limit } = parseInput(KnowledgeSearchRequest, request, 'knowledge search');
    if (kinds === undefined || kinds.some((kind) => catalogKinds.includes(kind))) {
      await this.syncCatalog(tenantId);
    }
    return searchKnowledge(this.db, this.embedder, tenantId, query, { limit, ...(kinds ? { kinds } : {}) });
  }

  /** Embeds the catalog entries that changed and removes those of deleted routines and agents; how many were embedded. */
  async syncCatalog(tenantId: string): Promise<{ embedded: number; removed: number }> {
    const routines = (await this.routines.listInterfaces(tenantId)).map(routineKnowledge);
    const agents = (await this.agents.list(tenantId)).map(agentKnowledge);
    let embedded = 0;
    let removed = 0;
    for (const [kind, entries] of [
      ['routine', routines],
      ['agent', agents],
    ] as const) {
      const stored = await knowledgeSourceHashes(this.db, tenantId, kind);
      const changed = entries.filter(
        (entry) => stored.get(entry.sourceId) !== contentHash(this.embedder, entry),
      );
      embedded += (await upsertKnowledge(this.db, this.embedder, tenantId, changed)).embedded;
      const present = new Set(entries.map((entry) => entry.sourceId));
      for (const sourceId of stored.keys()) {
        if (!present.has(sourceId) && (await removeKnowledgeSource(this.db, tenantId, { kind, sourceId }))) {
          removed += 1;
        }
      }
    }
    return { embedded, removed };
  }

  /**
   * Embeds again every entry that another embedder wrote (after the deployment changed its
   * embedder), and syncs the catalog. Documents keep their text, so they are re-embedded too.
   */
  async reindex(tenantId: string): Promise<{ embedded: number; removed: number }> {
    const stale = await this.db
      .selectFrom('knowledge')
      .select(['kind', 'source_id', 'chunk', 'title', 'content', 'metadata'])
      .where('tenant_id', '=', tenantId)
      .where('embedder', '!=', this.embedder.name)
      .execute();
    const { embedded } = await upsertKnowledge(
      this.db,
      this.embedder,
      tenantId,
      stale.map((row) => ({
        kind: row.kind,
        sourceId: row.source_id,
        chunk: row.chunk,
        title: row.title,
        content: row.content,
        metadata: row.metadata,
      })),
    );
    const synced = await this.syncCatalog(tenantId);
    const proposals = await this.syncProposals(tenantId);
    return { embedded: embedded + synced.embedded + proposals.embedded, removed: synced.removed };
  }

  /**
   * Writes (or rewrites) a proposal's entry, kind `proposal` with the proposal's id as its source:
   * one entry per proposal, whose text follows its decision. `idOrProposal` is a proposal's id
   * (read from the proposals table; nothing happens when there is none) or the proposal itself.
   * @throws EmbeddingError when the embedding provider fails.
   */
  async indexProposal(tenantId: string, idOrProposal: string | Proposal): Promise<{ embedded: number }> {
    const proposal =
      typeof idOrProposal === 'string' ? await findProposal(this.db, tenantId, idOrProposal) : idOrProposal;
    if (proposal === undefined) return { embedded: 0 };
    return upsertKnowledge(this.db, this.embedder, tenantId, [proposalKnowledge(proposal)]);
  }

  /** Indexes every proposal whose entry is missing or out of date (one a failed write left behind). */
  async syncProposals(tenantId: string): Promise<{ embedded: number }> {
    const entries = (await allProposals(this.db, tenantId)).map(proposalKnowledge);
    return upsertKnowledge(this.db, this.embedder, tenantId, entries);
  }

  /**
   * Adds a user's document (chunked), replacing one with the same id.
   * @throws ValidationError when the document is not a KnowledgeDocumentInput.
   * @throws EmbeddingError when the embedding provider fails.
   */
  async addDocument(
    tenantId: string,
    input: KnowledgeDocumentInput,
  ): Promise<{ id: string; chunks: number; embedded: number }> {
    const document = parseInput(KnowledgeDocumentInput, input, 'document');
    const entries = chunkText(document.text).map(
      (content, chunk): KnowledgeEntry => ({
        kind: 'document',
        sourceId: document.id,
        chunk,
        title: document.title,
        content,
        metadata: document.metadata as Record<string, JsonValue>,
      }),
    );
    const source = { kind: 'document' as const, sourceId: document.id };
    const { embedded, chunks } = await replaceKnowledgeSource(
      this.db,
      this.embedder,
      tenantId,
      source,
      entries,
    );
    return { id: document.id, chunks, embedded };
  }

  /** Removes a document (or any source of a kind); whether it was there. */
  remove(tenantId: string, source: { kind: KnowledgeKind; sourceId: string }): Promise<boolean> {
    return removeKnowledgeSource(this.db, tenantId, source);
  }

  list(tenantId: string, options: { kinds?: readonly KnowledgeKind[]; limit?: number } = {}) {
    return listKnowledge(this.db, tenantId, options) satisfies Promise<KnowledgeDocumentSummary[]>;
  }

  /** Records a finished run's short summary: routine, input keys, outcome. */
  async indexRunSummary(run: RunOutcome): Promise<void> {
    const row = await this.db
      .selectFrom('runs')
      .select(['tenant_id', 'routine_id', 'routine_version', 'input'])
      .where('run_id', '=', run.runId)
      .executeTakeFirst();
    if (!row) return;
    const inputKeys = Object.keys(row.input ?? {});
    const outputKeys = Object.keys(run.outputs);
    const content = [
      `Run of routine ${row.routine_id} (version ${row.routine_version}) ${run.status}.`,
      inputKeys.length > 0 ? `Input: ${inputKeys.join(', ')}.` : 'No input.',
      outputKeys.length > 0 ? `Output: ${outputKeys.join(', ')}.` : '',
      run.error ? `Error: ${run.error}` : '',
    ]
      .filter((line) => line !== '')
      .join('\n')
      .slice(0, maxSummaryLength);
    await upsertKnowledge(this.db, this.embedder, row.tenant_id, [
      {
        kind: 'runSummary',
        sourceId: run.runId,
        chunk: 0,
        title: `Run ${run.runId} of ${row.routine_id}`,
        content,
        metadata: { runId: run.runId, routineId: row.routine_id, status: run.status },
      },
    ]);
  }

  /** Records a finished swarm's goal and result. */
  async indexSwarmResult(swarm: {
    tenantId: string;
    swarmId: string;
    goal: string;
    status: string;
    result?: JsonValue;
  }): Promise<void> {
    const result = swarm.result === undefined ? '' : `Result: ${textOf(swarm.result)}`;
    await upsertKnowledge(this.db, this.embedder, swarm.tenantId, [
      {
        kind: 'swarmResult',
        sourceId: swarm.swarmId,
        chunk: 0,
        title: swarm.goal.slice(0, 200),
        content: `Swarm goal: ${swarm.goal}\nStatus: ${swarm.status}\n${result}`.slice(0, maxSummaryLength),
        metadata: { swarmId: swarm.swarmId, status: swarm.status },
      },
    ]);
  }
}

function textOf(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
