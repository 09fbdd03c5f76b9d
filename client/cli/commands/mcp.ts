import { once } from 'node:events';
import type { Command } from 'commander';
import { serveHttp } from '../../mcp/http.ts';
import { serveStdio } from '../../mcp/stdio.ts';
import { withDirectClient } from '../context.ts';

export function mcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('serve the MCP server for outside agents: over stdio, or Streamable HTTP on 127.0.0.1')
    .option('--http <port>', 'serve Streamable HTTP on this port (0: any free port) instead of stdio', Number)
    .action(async (options: { http?: number }) => {
      await withDirectClient(async (client) => {
        if (options.http === undefined) return serveStdio(client);
        const server = await serveHttp(client, options.http);
        process.stderr.write(`swarmflow MCP server at ${server.url} (Ctrl-C to stop)\n`);
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await server.close();
      });
    });
}
