import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../schema/deployment-config.ts';
import type { JsonValue } from '../../schema/json.ts';
import { type McpToolDescriptor, ToolAnnotations, toolRisk } from '../../schema/tools.ts';
import { DependencyUnavailableError } from '../resilience/errors.ts';
import { createTransport } from './transport.ts';

const STDERR_TAIL = 2000;
const CLIENT_INFO = { name: 'swarmflow', version: '0.1.0' };

type ListedTool = Awaited<ReturnType<Client['listTools']>>['tools'][number];

/** One live MCP session with one server. Lists its tools once; reports when it closes. */
export class McpConnection {
  private tools: Promise<McpToolDescriptor[]> | undefined;
  private stderrTail = '';

  private constructor(
    readonly server: string,
    private readonly client: Client,
  ) {}

  /** Connects (spawning a stdio server) and initialises the session; fails as a DependencyUnavailableError. */
  static async open(
    server: string,
    config: McpServerConfig,
    { timeoutMs, onClose }: { timeoutMs: number; onClose: () => void },
  ): Promise<McpConnection> {
    const transport = createTransport(config);
    const connection = new McpConnection(server, new Client(CLIENT_INFO));
    if (transport instanceof StdioClientTransport) {
      transport.stderr?.on('data', (chunk: Buffer) => connection.keepStderr(chunk));
    }
    connection.client.onclose = onClose;
    try {
      await connection.client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      await connection.close();
      throw connection.unavailable(error);
    }
    return connection;
  }

  /** The server's tools, listed on first use and kept for the life of the connection. */
  listTools(): Promise<McpToolDescriptor[]> {
    this.tools ??= this.fetchTools().catch((error: unknown) => {
      this.tools = undefined;
      throw error;
    });
    return this.tools;
  }

  /** The SDK checks the response against CallToolResultSchema (and structured content against the output schema). */
  async callTool(
    name: string,
    args: Record<string, JsonValue>,
    meta: Record<string, string>,
    options: RequestOptions,
  ): Promise<CallToolResult> {
    return (await this.client.callTool(
      { name, arguments: args, _meta: meta },
      undefined,
      options,
    )) as CallToolResult;
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  /** `error` as the server being unavailable, with the end of a stdio server's stderr when it said something. */
  unavailable(error: unknown): DependencyUnavailableError {
    const stderr = this.stderrTail.trim();
    return new DependencyUnavailableError(
      `MCP server "${this.server}"`,
      error,
      stderr ? `; its stderr ends: ${stderr}` : '',
    );
  }

  private async fetchTools(): Promise<McpToolDescriptor[]> {
    const tools: McpToolDescriptor[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : undefined);
      tools.push(...page.tools.map((tool) => this.describe(tool)));
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  private describe(tool: ListedTool): McpToolDescriptor {
    const title = tool.title ?? tool.annotations?.title;
    return {
      server: this.server,
      name: tool.name,
      ...(title ? { title } : {}),
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
      ...(tool.annotations ? { annotations: ToolAnnotations.parse(tool.annotations) } : {}),
      risk: toolRisk(tool.annotations),
    };
  }

  private keepStderr(chunk: Buffer): void {
    this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  }
}
