import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SwarmflowConfig } from '../../../schema/config.ts';
import { stackEnv } from '../../support/stack-env.ts';

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));

/** An MCP client talking to `swarmflow mcp` over stdio. */
export async function connectStdio(config: SwarmflowConfig): Promise<Client> {
  const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp'],
      env: stackEnv(config),
      stderr: 'inherit',
    }),
  );
  return client;
}

export interface HttpMcpServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `swarmflow mcp --http 0` and resolves with the URL it prints once it listens. */
export async function startHttpServer(config: SwarmflowConfig): Promise<HttpMcpServer> {
  const child = spawn(process.execPath, [cli, 'mcp', '--http', '0'], {
    env: stackEnv(config),
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /MCP server at (\S+)/.exec(stderr);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`swarmflow mcp --http exited (${code}): ${stderr}`)));
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** An MCP client talking to an HTTP server over Streamable HTTP. */
export async function connectHttp(url: string): Promise<Client> {
  const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Calls a tool that must succeed and returns its structured content (or its JSON text parsed). */
export async function callOk<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return (result.structuredContent ?? JSON.parse(textOf(result))) as T;
}

/** Calls a tool that must fail and returns the error text it gave. */
export async function callFailing(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) throw new Error(`${name} was expected to fail but returned ${textOf(result)}`);
  return textOf(result);
}

function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
