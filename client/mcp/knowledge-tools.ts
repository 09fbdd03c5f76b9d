import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { KnowledgeSearchRequest } from '../../schema/knowledge.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/** search_knowledge: semantic search of the tenant's knowledge base. */
export function registerKnowledgeTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'search_knowledge',
    {
      title: 'Search knowledge',
      description:
        "Search the tenant's knowledge base by meaning: routines (id, name, description, input and output fields), " +
        'agents, results of past swarms, summaries of past runs, and documents users added. Best matches first, ' +
        'each with its kind, source id, text and a similarity score.',
      inputSchema: KnowledgeSearchRequest,
      annotations: { readOnlyHint: true },
    },
    async (request, { client }) => jsonResult({ hits: await client.knowledge.search(request) }),
  );
}
