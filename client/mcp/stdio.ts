import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { SwarmflowClient } from '../sdk.ts';
import { createMcpServer } from './server.ts';

/** Serves the MCP server over stdin/stdout until the client closes stdin. */
export async function serveStdio(client: SwarmflowClient): Promise<void> {
  const server = createMcpServer(client);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
