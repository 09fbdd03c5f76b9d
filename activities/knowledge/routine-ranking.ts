import type { RoutineInterface } from '../store/routine-store.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { Scored } from './scored.ts';

/**
 * The tenant's routines ranked by the knowledge base's semantic search for `query`, most similar
 * first; routines the search did not return (beyond its limit) follow with score 0, by id.
 * @throws EmbeddingError when the embedding provider fails.
 */
export async function rankRoutines(
  knowledge: KnowledgeBase,
  tenantId: string,
  query: string,
  routines: readonly RoutineInterface[],
): Promise<Scored<RoutineInterface>[]> {
  if (routines.length === 0) return [];
  const hits = await knowledge.search(tenantId, { query, kinds: ['routine'], limit: 50 });
  const byId = new Map(routines.map((routine) => [routine.id, routine]));
  const ranked = hits.flatMap((hit) => {
    const routine = byId.get(hit.sourceId);
    return routine === undefined ? [] : [{ item: routine, score: hit.score }];
  });
  const found = new Set(ranked.map(({ item }) => item.id));
  return [
    ...ranked,
    ...routines.filter((routine) => !found.has(routine.id)).map((item) => ({ item, score: 0 })),
  ];
}
