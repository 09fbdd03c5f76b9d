import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { rankBySimilarity } from '../../activities/swarms/text-similarity.ts';
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

/** The routines most similar to the query (TF-IDF over id, name and description), or all of them for no query. */
function rankRoutines(routines: RoutineSummary[], query: string): RoutineSummary[] {
  if (query.trim() === '') return routines;
  return rankBySimilarity(
    query,
    routines,
    (routine) => `${routine.id} ${routine.name} ${routine.description ?? ''}`,
  )
    .filter(({ score }) => score > 0)
    .map(({ item }) => item);
}
