import { once } from 'node:events';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../../../schema/config.ts';
import { serveApi } from '../../api/serve.ts';
import { startTracing } from '../../telemetry/tracing.ts';

interface ServeCommandOptions {
  host: string;
  port: number;
  insecureLocal?: boolean;
  rateLimit: number;
  log?: boolean;
  metrics?: boolean;
}

function whole(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('give a whole number');
  return value;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the API: REST under /v1 (OpenAPI at /openapi.json), MCP at /mcp, /healthz and /readyz; every call needs Authorization: Bearer <API key or OIDC token>',
    )
    .option('--host <host>', 'address to listen on (anything but loopback needs auth)', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', whole, 8787)
    .option(
      '--insecure-local',
      'serve without auth, every caller an admin of the configured tenant (loopback only)',
    )
    .option('--rate-limit <n>', 'requests a minute per API key', whole, 600)
    .option('--log', 'log every request too, not only warnings and errors (stdout)')
    .option('--metrics', 'serve GET /metrics (Prometheus, no auth: keep it off public ingress)')
    .action(async (options: ServeCommandOptions) => {
      if (options.port > 65_535) throw new InvalidArgumentError('a port is 0-65535');
      const tracing = startTracing('swarmflow-api');
      const server = await serveApi({
        config: loadConfig(),
        host: options.host,
        port: options.port,
        insecureLocal: options.insecureLocal ?? false,
        rateLimitPerMinute: options.rateLimit,
        logger: options.log ?? false,
        metrics: options.metrics ?? false,
      });
      const auth = options.insecureLocal ? 'no auth (--insecure-local)' : 'bearer auth required';
      process.stderr.write(
        `Swarmflow API at ${server.url} (${auth}; OpenAPI at ${server.url}/openapi.json; Ctrl-C to stop)\n`,
      );
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      await server.close();
      await tracing?.shutdown();
    });
}
