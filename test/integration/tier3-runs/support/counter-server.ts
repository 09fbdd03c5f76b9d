import { appendFileSync, readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * A stdio MCP server made with the SDK's own server whose `tick` tool appends a line to the file
 * COUNTER_FILE names: how many times a tool really ran, counted across worker processes.
 */
const file = process.env.COUNTER_FILE ?? '';
const server = new McpServer({ name: 'counter', version: '1.0.0' });
server.registerTool(
  'tick',
  { description: 'Counts one tick', annotations: { readOnlyHint: false } },
  async () => {
    appendFileSync(file, 'tick\n');
    const ticks = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    return { content: [{ type: 'text', text: `ticks so far: ${ticks}` }] };
  },
);
// A worker killed without closing its servers leaves stdin closed: then this server goes too.
process.stdin.on('close', () => process.exit(0));
await server.connect(new StdioServerTransport());
