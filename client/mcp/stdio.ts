import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpAccess } from './guarded-tool.ts';
import { createMcpServer } from './server.ts';

/** Serves the MCP server over stdin/stdout, every call made by `access`'s caller, until the client closes stdin. */
export async function serveStdio(access: McpAccess): Promise<void> {
  const server = createMcpServer(access);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
