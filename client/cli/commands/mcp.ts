import { type Command, Option } from 'commander';
import { loadDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { serveStdio } from '../../mcp/stdio.ts';
import { openStdioAccess } from '../../mcp/stdio-access.ts';
import { withDirectClient } from '../context.ts';

interface McpCommandOptions {
  http?: string;
}

export function mcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      'serve the MCP server over stdio for an outside agent, as the identity of an API key (--api-key or SWARMFLOW_API_KEY); over HTTP it is `swarmflow serve`, at /mcp',
    )
    // Gone: MCP over HTTP is served by the API server, under the same auth as the REST API.
    .addOption(new Option('--http <port>').hideHelp())
    .action(async (options: McpCommandOptions, command: Command) => {
      if (options.http !== undefined) {
        throw new Error(
          'swarmflow mcp --http is gone: MCP over HTTP is served by `swarmflow serve` at /mcp, with the same auth as the REST API (--insecure-local for no auth on a loopback address)',
        );
      }
      // The global --api-key (or SWARMFLOW_API_KEY): the identity to act as, on this machine's stack.
      const apiKey: string | undefined = command.optsWithGlobals().apiKey || undefined;
      await withDirectClient(async (client) => {
        const { access, identity, close } = await openStdioAccess(client, {
          apiKey,
          deployment: await loadDeploymentConfig(),
        });
        process.stderr.write(
          apiKey === undefined
            ? `swarmflow MCP server on stdio as the local operator (an admin of tenant ${identity.tenantId}, no key); set SWARMFLOW_API_KEY to act as a key\n`
            : `swarmflow MCP server on stdio as ${identity.subject} (tenant ${identity.tenantId}, roles ${identity.roles.join(', ')})\n`,
        );
        try {
          await serveStdio(access);
        } finally {
          await close();
        }
      });
    });
}
