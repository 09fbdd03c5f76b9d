import type { McpServerConfig } from '../../schema/deployment-config.ts';
import { McpConnection } from './mcp-connection.ts';

/** The one connection a pool keeps to a server: opened on first use, forgotten when it closes or breaks. */
export class ServerLink {
  private opening: Promise<McpConnection> | undefined;

  constructor(
    readonly server: string,
    private readonly config: McpServerConfig,
    private readonly connectTimeoutMs: number,
  ) {}

  connection(): Promise<McpConnection> {
    this.opening ??= this.open();
    return this.opening;
  }

  /** Closes `connection` and, if it is the current one, forgets it so the next use opens a fresh one. */
  async discard(connection: McpConnection): Promise<void> {
    const opening = this.opening;
    if (opening && (await opening.catch(() => undefined)) === connection) this.forget(opening);
    await connection.close();
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    await (await opening?.catch(() => undefined))?.close();
  }

  private open(): Promise<McpConnection> {
    const opening: Promise<McpConnection> = McpConnection.open(this.server, this.config, {
      timeoutMs: this.connectTimeoutMs,
      onClose: () => this.forget(opening),
    });
    opening.catch(() => this.forget(opening));
    return opening;
  }

  private forget(opening: Promise<McpConnection>): void {
    if (this.opening === opening) this.opening = undefined;
  }
}
