import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadinessReport } from './readiness.ts';

/** The Prometheus text exposition format's content type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** The `/metrics` body, in Prometheus text format. */
  metrics(): Promise<string>;
  /** What `/readyz` answers: 200 when ready, else 503 naming what is not. */
  readiness(): Promise<ReadinessReport>;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's operations endpoint: `GET /metrics` (Prometheus), `GET /healthz` (the process is
 * up) and `GET /readyz` (it can do its work). No credentials: serve it on an internal network.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    route(options, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  options: MetricsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
    return;
  }
  switch (path) {
    case '/metrics':
      response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(await options.metrics());
      return;
    case '/healthz':
      sendJson(response, 200, { status: 'ok' });
      return;
    case '/readyz': {
      const report = await options.readiness();
      sendJson(response, report.ready ? 200 : 503, {
        status: report.ready ? 'ready' : 'unavailable',
        ...report.checks,
      });
      return;
    }
    default:
      sendJson(response, 404, { error: `no ${path}: try /metrics, /healthz or /readyz` });
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
