import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP plumbing the strict provider stand-ins share: a loopback `node:http` server on a free port that
 * parses JSON bodies, records every request and every rejection, and hands each request to the stand-in's
 * router. A router answers with a `StandInResponse` or throws a `RejectedRequest` (an error the real
 * service would return); anything else it throws becomes a 500 that names the stand-in bug or test mistake.
 */

/** One request as the stand-in received it. `body` is the parsed JSON, or the raw text when it was not JSON. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** One request the stand-in refused, with the status and body it answered. */
export interface RecordedRejection {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  /** Index of the request in `requests`. */
  readonly requestIndex: number;
  /** True for a fault the test enqueued (`enqueueError`), false for a rule the request broke. */
  readonly injected: boolean;
}

/** What a router answers: a status, a JSON body and optional extra headers. */
export interface StandInResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thrown by a router to refuse a request the way the real service does (4xx/5xx with its error body). */
export class RejectedRequest extends Error {
  readonly injected: boolean;
  constructor(
    readonly response: StandInResponse,
    options: { readonly injected?: boolean } = {},
  ) {
    super(`stand-in refused the request with ${response.status}: ${JSON.stringify(response.body)}`);
    this.name = 'RejectedRequest';
    this.injected = options.injected ?? false;
  }
}

/** The incoming request as a router sees it. */
export interface StandInRequest extends RecordedRequest {
  /** True when the body was present but not valid JSON. */
  readonly bodyIsInvalidJson: boolean;
}

export type Router = (request: StandInRequest) => StandInResponse | Promise<StandInResponse>;

/** A started stand-in server. */
export interface StandInServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly rejections: RecordedRejection[];
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

/**
 * Starts a stand-in server on 127.0.0.1 and a free port.
 * @param name shown in 500 answers, so a failing test says which stand-in complained.
 * @param route the stand-in's router.
 */
export async function startStandInServer(name: string, route: Router): Promise<StandInServer> {
  const requests: RecordedRequest[] = [];
  const rejections: RecordedRejection[] = [];
  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing);
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const request = await readRequest(incoming);
    const requestIndex = requests.length;
    requests.push({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
    });
    const { response, injected } = await answer(request);
    if (response.status >= 400) {
      rejections.push({
        method: request.method,
        path: request.path,
        status: response.status,
        body: response.body,
        requestIndex,
        injected,
      });
    }
    const text = JSON.stringify(response.body);
    outgoing.writeHead(response.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...response.headers,
    });
    outgoing.end(text);
  }

  async function answer(request: StandInRequest): Promise<{ response: StandInResponse; injected: boolean }> {
    try {
      return { response: await route(request), injected: false };
    } catch (error) {
      if (error instanceof RejectedRequest) return { response: error.response, injected: error.injected };
      const message = error instanceof Error ? error.message : String(error);
      const body = { error: { type: 'stand_in_error', message: `${name}: ${message}` } };
      return { response: { status: 500, body }, injected: false };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rejections,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readRequest(incoming: IncomingMessage): Promise<StandInRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const path = new URL(incoming.url ?? '/', 'http://stand-in').pathname;
  const base = { method: incoming.method ?? 'GET', path, headers: incoming.headers };
  if (text === '') return { ...base, body: undefined, bodyIsInvalidJson: false };
  try {
    return { ...base, body: JSON.parse(text) as unknown, bodyIsInvalidJson: false };
  } catch {
    return { ...base, body: text, bodyIsInvalidJson: true };
  }
}
