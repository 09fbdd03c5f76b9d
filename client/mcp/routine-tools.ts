import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { lexicalRelatedScores } from '../../activities/knowledge/lexical-embedder.ts';
import { rankByLexicalSimilarity } from '../../activities/knowledge/lexical-ranking.ts';
import type { RoutineSummary } from '../../schema/routine.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/** find_routines: the catalog's routines most like a query. */
export function registerRoutineTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'find_routines',
    {
      title: 'Find routines',
      description:
        'Search the routine catalog by the words of ids, names and descriptions (best matches first); an empty query lists them all. ' +
        'Run one with run_routine, or name it as a subtask routineId of a swarm.',
      inputSchema: z.strictObject({
        query: z.string().default('').describe('words to look for; empty: every routine'),
        limit: z.number().int().positive().max(100).default(20),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ query, limit }, { client }) => {
      const routines = rankRoutines(await client.listRoutines(), query).slice(0, limit);
      return jsonResult({ routines });
    },
  );
}

/**
 * The routines most similar to the query (the offline lexical embedder over id, name and
 * description; search_knowledge searches the knowledge base by meaning), or all of them for no query.
 */
function rankRoutines(routines: RoutineSummary[], query: string): RoutineSummary[] {
  if (query.trim() === '') return routines;
  return rankByLexicalSimilarity(
    query,
    routines,
    (routine) => `${routine.id} ${routine.name} ${routine.description ?? ''}`,
  )
    .filter(({ score }) => score >= lexicalRelatedScores.best)
    .map(({ item }) => item);
}
