import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { pipeBothWays } from './socket-pipe.ts';

/**
 * A TCP proxy on 127.0.0.1 to `target` that the test switches: `refuse()` resets every open
 * connection and stops listening (new connections are refused), `admit()` listens again on the
 * same port.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.admit();
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens (again) on the proxy's port. */
  async admit(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Resets every open connection and refuses new ones until `admit()`. */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
    await closed;
  }

  async stop(): Promise<void> {
    await this.refuse();
  }

  #pipe(client: Socket): void {
    pipeBothWays(client, connect(this.#target), this.#sockets);
  }
}
