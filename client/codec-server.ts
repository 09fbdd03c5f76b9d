import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { CODEC_TOKEN_VARIABLE } from '../schema/encryption.ts';
import { PayloadDecryptionError } from '../workers/codec/encryption-codec.ts';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The bearer token every /encode and /decode must carry; required unless `insecureLocal`. */
  token: string | undefined;
  /** Serve without a token: only on a loopback host. */
  insecureLocal?: boolean;
  /** Origins (e.g. the Temporal Web UI's `http://localhost:8233`) allowed to call from a browser; none by default. */
  corsOrigins?: string[];
  maxBodyBytes?: number;
  /** Unexpected failures (never a token or a payload); stderr by default. */
  log?: (line: string) => void;
}

export interface CodecServerHandle {
  url: string;
  close(): Promise<void>;
}

const JsonPayloads = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string().base64()).nullish(),
      data: z.string().base64().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof JsonPayloads>['payloads'][number];

const routePattern = /^(?:\/[^/]+)?\/(encode|decode)$/;
const defaultMaxBodyBytes = 16 * 1024 * 1024;

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Why a codec server may not start with these options, or undefined when it may. */
function refusal(options: CodecServerOptions): string | undefined {
  const loopback = isLoopbackHost(options.host);
  if (options.insecureLocal && !loopback)
    return `--insecure-local serves only a loopback host (127.0.0.1, ::1 or localhost), not ${options.host}`;
  if (options.token !== undefined || options.insecureLocal) return undefined;
  return loopback
    ? `set ${CODEC_TOKEN_VARIABLE} (e.g. \`openssl rand -base64 32\`) to require it as a bearer token, or pass --insecure-local to serve ${options.host} without auth`
    : `refusing to serve ${options.host} without auth: set ${CODEC_TOKEN_VARIABLE} (e.g. \`openssl rand -base64 32\`)`;
}

/**
 * The Temporal codec server protocol (what the Web UI's and the `temporal` CLI's codec endpoint
 * speak): POST `/encode` and `/decode`, optionally under one path segment such as the namespace
 * (`/default/decode`), with `{"payloads": [{"metadata": {k: base64}, "data": base64}]}` in and out.
 * Every call needs `Authorization: Bearer <SWARMFLOW_CODEC_TOKEN>` (401 otherwise); CORS
 * preflights are answered for the configured origins only.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServerHandle> {
  const refused = refusal(options);
  if (refused) throw new Error(refused);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const expected = options.token === undefined ? undefined : digest(options.token);
  const origins = new Set(options.corsOrigins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(
        `codec server: ${request.method} ${request.url} failed: ${error instanceof Error ? error.message : error}`,
      );
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    if (origin && origins.has(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    response.setHeader('Vary', 'Origin');
    const route = routePattern.exec(new URL(request.url ?? '/', 'http://codec').pathname)?.[1];
    if (!route) return reply(response, 404, { error: 'not found: POST /encode or /decode' });
    if (request.method === 'OPTIONS') {
      if (origin && origins.has(origin)) {
        response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        response.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
        response.setHeader('Access-Control-Max-Age', '600');
      }
      response.writeHead(204).end();
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      return reply(response, 405, { error: `${request.method} is not allowed: POST /${route}` });
    }
    if (expected && !authorized(request.headers.authorization, expected)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="swarmflow-codec"');
      return reply(response, 401, { error: 'a valid Authorization: Bearer <token> header is required' });
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) {
      response.setHeader('Connection', 'close');
      return reply(response, 413, { error: `the body is over ${maxBodyBytes} bytes` });
    }
    const parsed = parseBody(body);
    if (typeof parsed === 'string') return reply(response, 400, { error: parsed });
    try {
      const payloads = parsed.payloads.map(fromJson);
      const result =
        route === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      reply(response, 200, { payloads: result.map(toJson) });
    } catch (error) {
      if (error instanceof PayloadDecryptionError) return reply(response, 400, { error: error.message });
      throw error;
    }
  }

  server.listen(options.port, options.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Compares digests in constant time, so neither the token's length nor its prefix leaks. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return token !== undefined && timingSafeEqual(digest(token), expected);
}

/** The body, or undefined once it passes `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string): z.infer<typeof JsonPayloads> | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const result = JsonPayloads.safeParse(json);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  return `the body is not {"payloads": [{"metadata": {...}, "data": "<base64>"}]}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
}

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([name, value]) => [name, Buffer.from(value, 'base64')]),
    ),
    ...(data ? { data: Buffer.from(data, 'base64') } : {}),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')]),
    ),
    ...(data ? { data: Buffer.from(data).toString('base64') } : {}),
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
