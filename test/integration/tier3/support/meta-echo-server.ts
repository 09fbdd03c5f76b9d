import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * A stdio MCP server made with the SDK's own server, for what the third-party servers cannot
 * show: the `_meta` a call arrives with, and how many times a tool really ran.
 */
const server = new McpServer({ name: 'meta-echo', version: '1.0.0' });
let runs = 0;
server.registerTool(
  'meta',
  { description: 'Returns the request _meta and how many calls ran' },
  async (extra) => {
    runs += 1;
    const reply = { meta: extra._meta ?? {}, runs };
    return { content: [{ type: 'text', text: JSON.stringify(reply) }] };
  },
);
await server.connect(new StdioServerTransport());
