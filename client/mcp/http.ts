import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SwarmflowClient } from '../sdk.ts';
import { createMcpServer } from './server.ts';

const HOST = '127.0.0.1';
export const MCP_PATH = '/mcp';

export interface McpHttpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the MCP server over Streamable HTTP at `http://127.0.0.1:<port>/mcp`, one session per
 * client: an initialize request opens one (its id in the `mcp-session-id` header), DELETE ends it.
 */
export async function serveHttp(client: SwarmflowClient, port: number): Promise<McpHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((request, response) => {
    const { port: bound } = http.address() as AddressInfo;
    route({ client, sessions, port: bound }, request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, -32603, `internal error: ${(error as Error).message}`);
    });
  });
  http.listen(port, HOST);
  await once(http, 'listening');
  const { port: bound } = http.address() as AddressInfo;
  return {
    url: `http://${HOST}:${bound}${MCP_PATH}`,
    close: () => closeAll(http, sessions),
  };
}

interface Endpoint {
  client: SwarmflowClient;
  sessions: Map<string, StreamableHTTPServerTransport>;
  port: number;
}

async function route(
  { client, sessions, port }: Endpoint,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (new URL(request.url ?? '/', `http://${HOST}`).pathname !== MCP_PATH) {
    return reply(response, 404, -32601, `not found: the MCP endpoint is ${MCP_PATH}`);
  }
  const body = request.method === 'POST' ? await readJson(request) : undefined;
  if (body === NOT_JSON) return reply(response, 400, -32700, 'parse error: the request body is not JSON');
  const sessionId = request.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (existing) return existing.handleRequest(request, response, body);
  if (sessionId !== undefined) return reply(response, 404, -32001, 'unknown session: initialize a new one');
  if (request.method !== 'POST' || !isInitializeRequest(body)) {
    return reply(response, 400, -32000, 'no session: send an initialize request first');
  }
  const transport = openSession(sessions, port);
  await createMcpServer(client).connect(transport);
  return transport.handleRequest(request, response, body);
}

/** A session's transport; it refuses requests whose Host is not this machine, against DNS rebinding. */
function openSession(
  sessions: Map<string, StreamableHTTPServerTransport>,
  port: number,
): StreamableHTTPServerTransport {
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableDnsRebindingProtection: true,
    allowedHosts: ['127.0.0.1', 'localhost', '[::1]'].map((host) => `${host}:${port}`),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
    onsessionclosed: (id) => {
      sessions.delete(id);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  return transport;
}

const NOT_JSON = Symbol('not JSON');

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

function reply(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

async function closeAll(http: Server, sessions: Map<string, StreamableHTTPServerTransport>): Promise<void> {
  await Promise.all([...sessions.values()].map((transport) => transport.close()));
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
