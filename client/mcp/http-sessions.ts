import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

/** Who sends one HTTP request to the MCP endpoint, as its authentication found. */
export interface McpPrincipal {
  /** A session belongs to whoever initialized it: requests of anyone else find no such session. */
  owner: string;
  /** Handed to the tool handlers of this request as `extra.authInfo`. */
  authInfo?: AuthInfo | undefined;
}

/** A request body that did not parse as JSON (the endpoint answers it with a JSON-RPC parse error). */
export const NOT_JSON = Symbol('not JSON');

/** The body of a POST as JSON, or NOT_JSON. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

interface Session {
  transport: StreamableHTTPServerTransport;
  owner: string;
}

/**
 * MCP over Streamable HTTP, one session per client: an initialize request opens one (its id in
 * the `mcp-session-id` header) with a new MCP server from `createServer`, later requests carrying
 * the id reach it, DELETE ends it. The HTTP server in front (the API server's `/mcp` route)
 * authenticates each request, checks its Host and hands it over with its principal.
 */
export class McpHttpSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly createServer: () => McpServer) {}

  /**
   * Answers one request to the endpoint. `body` is the parsed JSON of a POST (NOT_JSON when it did
   * not parse), undefined otherwise. A session id that is unknown, or another principal's, is a 404
   * (so a client initializes anew and nobody learns whose sessions exist); a request without one
   * that is not an initialize is a 400.
   */
  async handle(
    request: IncomingMessage & { auth?: AuthInfo | undefined },
    response: ServerResponse,
    body: unknown,
    principal: McpPrincipal,
  ): Promise<void> {
    if (body === NOT_JSON) return reply(response, 400, -32700, 'parse error: the request body is not JSON');
    request.auth = principal.authInfo;
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    if (existing && existing.owner === principal.owner) {
      return existing.transport.handleRequest(request, response, body);
    }
    if (sessionId !== undefined) return reply(response, 404, -32001, 'unknown session: initialize a new one');
    if (request.method !== 'POST' || !isInitializeRequest(body)) {
      return reply(response, 400, -32000, 'no session: send an initialize request first');
    }
    const transport = this.open(principal.owner);
    await this.createServer().connect(transport);
    return transport.handleRequest(request, response, body);
  }

  /** How many sessions are open. */
  get size(): number {
    return this.sessions.size;
  }

  /** Ends every session. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map(({ transport }) => transport.close()));
    this.sessions.clear();
  }

  private open(owner: string): StreamableHTTPServerTransport {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, owner });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    return transport;
  }
}

/** A JSON-RPC error answer outside any session. */
export function reply(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
