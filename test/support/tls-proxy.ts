import { readFile } from 'node:fs/promises';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { pipeBothWays } from './socket-pipe.ts';
import type { TestPki } from './test-pki.ts';

/**
 * A TLS front for a plain TCP server, as a TLS-terminating load balancer in front of Temporal
 * is: it demands a client certificate signed by the test CA (mutual TLS), offers HTTP/2 by
 * ALPN as gRPC wants, and pipes the decrypted bytes to `target`. It records who it let in and
 * how many handshakes it refused.
 */
export class TlsProxy {
  readonly #sockets = new Set<Socket>();
  /** The common names of the client certificates it accepted, one per connection. */
  readonly acceptedClients: string[] = [];
  /** Handshakes it refused (no client certificate, or one the CA did not sign). */
  refusedHandshakes = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }, pki: TestPki): Promise<TlsProxy> {
    const [key, cert, ca] = await Promise.all(
      [pki.serverKey, pki.serverCert, pki.caCert].map((p) => readFile(p)),
    );
    const server = createServer({
      key,
      cert,
      ca,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    });
    const proxy = new TlsProxy(server, target);
    server.on('secureConnection', (client) => proxy.#pipe(client));
    server.on('tlsClientError', () => {
      proxy.refusedHandshakes++;
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** `127.0.0.1:<port>`: connect here with the server name `pki.serverName`. */
  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #pipe(client: TLSSocket): void {
    this.acceptedClients.push(String(client.getPeerCertificate().subject?.CN));
    pipeBothWays(client, connect(this.target), this.#sockets);
  }
}
