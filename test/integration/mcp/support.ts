import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SwarmflowConfig } from '../../../schema/config.ts';
import { stackEnv } from '../../support/stack-env.ts';

const cli = fileURLToPath(new URL('../../../bin/swarmflow.js', import.meta.url));

/** An MCP client talking to `swarmflow mcp` over stdio, as `apiKey`'s identity when given. */
export async function connectStdio(config: SwarmflowConfig, apiKey?: string): Promise<Client> {
  const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp'],
      env: { ...stackEnv(config), ...(apiKey === undefined ? {} : { SWARMFLOW_API_KEY: apiKey }) },
      stderr: 'inherit',
    }),
  );
  return client;
}

/** An MCP client talking to the API server's `/mcp` over Streamable HTTP, with `token` as its bearer token. */
export async function connectHttp(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'swarmflow-test', version: '1.0.0' });
  const requestInit = token === undefined ? undefined : { headers: { Authorization: `Bearer ${token}` } };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit }));
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
