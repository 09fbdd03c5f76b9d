import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { McpServerConfig } from '../../schema/deployment-config.ts';
import type { JsonValue } from '../../schema/json.ts';
import type { McpToolDescriptor, ToolResult } from '../../schema/tools.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { CircuitBreakers } from '../resilience/circuit-breakers.ts';
import { isTransient } from '../resilience/classify.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { failSpan, inSpan } from '../telemetry/in-span.ts';
import { toolCallAttributes, toolSpanName } from '../telemetry/span-attributes.ts';
import { isBrokenConnection } from './connection-errors.ts';
import { IdempotentCalls } from './idempotent-calls.ts';
import type { McpConnection } from './mcp-connection.ts';
import { ServerLink } from './server-link.ts';
import { toToolResult } from './tool-result.ts';

/** The request `_meta` key that carries a call's idempotency key to the server. */
export const IDEMPOTENCY_META_KEY = 'swarmflow/idempotencyKey';

export interface McpPoolOptions {
  /** The worker's breakers; the pool uses `mcp <server>` ones. Default: its own. */
  breakers?: CircuitBreakers;
  /** Completed results remembered by idempotency key. */
  rememberedResults?: number;
  connectTimeoutMs?: number;
  /** How long one call may wait for its answer. Temporal's activity timeout is the real bound: this only keeps a lost request from hanging. */
  callTimeoutMs?: number;
  /** Keeps a server's listed tools to those the deployment's models can take (see ToolScreen). */
  screen?: (tools: McpToolDescriptor[]) => McpToolDescriptor[];
}

export interface ToolCallOptions {
  /** The same on every attempt of one logical call: sent as `_meta`, and a repeat on this worker is not re-run. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * A worker's MCP clients, one connection per configured server (stdio or Streamable HTTP),
 * opened lazily, tools listed once per connection. A call that finds its connection broken
 * reconnects and tries once more; each server has a circuit breaker that fails fast while it is down.
 */
export class McpPool {
  private readonly links: Map<string, ServerLink>;
  private readonly completed: IdempotentCalls<ToolResult>;
  private readonly breakers: CircuitBreakers;
  private readonly callTimeoutMs: number;
  private readonly screen: (tools: McpToolDescriptor[]) => McpToolDescriptor[];

  constructor(servers: Record<string, McpServerConfig>, options: McpPoolOptions = {}) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    this.links = new Map(
      Object.entries(servers).map(([name, config]) => [name, new ServerLink(name, config, connectTimeoutMs)]),
    );
    this.completed = new IdempotentCalls(options.rememberedResults ?? 1000);
    this.breakers = options.breakers ?? new CircuitBreakers();
    this.callTimeoutMs = options.callTimeoutMs ?? 10 * 60_000;
    this.screen = options.screen ?? ((tools) => tools);
  }

  serverNames(): string[] {
    return [...this.links.keys()];
  }

  /** The server's tools that the deployment's models can take. */
  async listTools(server: string): Promise<McpToolDescriptor[]> {
    return this.screen(await this.guarded(server, (connection) => connection.listTools()));
  }

  async listAllTools(): Promise<McpToolDescriptor[]> {
    return (await Promise.all(this.serverNames().map((server) => this.listTools(server)))).flat();
  }

  async findTool(server: string, tool: string): Promise<McpToolDescriptor> {
    const tools = await this.listTools(server);
    const found = tools.find((candidate) => candidate.name === tool);
    if (found) return found;
    throw new ConfigurationError(
      `MCP server "${server}" has no tool "${tool}"; its tools: ${tools.map((t) => t.name).join(', ')}`,
    );
  }

  callTool(
    server: string,
    tool: string,
    args: Record<string, JsonValue>,
    { idempotencyKey, signal }: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const meta: Record<string, string> = idempotencyKey ? { [IDEMPOTENCY_META_KEY]: idempotencyKey } : {};
    const options: RequestOptions = { timeout: this.callTimeoutMs, ...(signal ? { signal } : {}) };
    const call = () =>
      this.guarded(server, async (connection) =>
        toToolResult(await connection.callTool(tool, args, meta, options)),
      );
    // One span per call (`execute_tool <tool>`): in error status when the call fails or the tool answers with an error.
    return inSpan(toolSpanName(tool), { attributes: toolCallAttributes(server, tool) }, async (span) => {
      const result = await observeToolCall(
        server,
        tool,
        idempotencyKey ? this.completed.run(`${server}/${tool}#${idempotencyKey}`, call) : call(),
      );
      if (result.isError) failSpan(span, 'tool_error', result.text.slice(0, 500));
      return result;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((link) => link.close()));
  }

  private async guarded<T>(server: string, use: (connection: McpConnection) => Promise<T>): Promise<T> {
    const link = this.link(server);
    return await this.breakers.for(`mcp ${server}`).run(() => this.withConnection(link, use), isTransient);
  }

  /**
   * Runs `use` on the server's connection; when the connection turns out broken, once more on a
   * fresh one. A connection that failed transiently is dropped, so the next call starts afresh.
   */
  private async withConnection<T>(
    link: ServerLink,
    use: (connection: McpConnection) => Promise<T>,
  ): Promise<T> {
    const connection = await link.connection();
    try {
      return await use(connection);
    } catch (error) {
      if (!(await this.dropIfFailed(link, connection, error))) throw error;
    }
    const fresh = await link.connection();
    try {
      return await use(fresh);
    } catch (error) {
      throw (await this.dropIfFailed(link, fresh, error)) ? fresh.unavailable(error) : error;
    }
  }

  /** Drops the connection after a broken-connection or transient error; true when the connection was broken. */
  private async dropIfFailed(link: ServerLink, connection: McpConnection, error: unknown): Promise<boolean> {
    const broken = isBrokenConnection(error);
    if (broken || isTransient(error)) await link.discard(connection);
    return broken;
  }

  private link(server: string): ServerLink {
    const link = this.links.get(server);
    if (link) return link;
    throw new ConfigurationError(
      `unknown MCP server "${server}"; configured: ${this.serverNames().join(', ') || 'none'}`,
    );
  }
}

/** Times a tool call into the MCP call metrics; a call that throws or whose result is an error counts as an error. */
async function observeToolCall(server: string, tool: string, call: Promise<ToolResult>): Promise<ToolResult> {
  const metrics = processMetrics();
  const stop = metrics.mcpCallDuration.startTimer({ server, tool });
  try {
    const result = await call;
    stop({ outcome: result.isError ? 'error' : 'ok' });
    if (result.isError) metrics.mcpCallErrors.inc({ server, tool });
    return result;
  } catch (error) {
    stop({ outcome: 'error' });
    metrics.mcpCallErrors.inc({ server, tool });
    throw error;
  }
}
