import type { IncomingHttpHeaders } from 'node:http';
import { ReplyQueue } from './reply-queue.ts';
import {
  type StandInRequest,
  type StandInResponse,
  type StandInServer,
  startStandInServer,
} from './stand-in-server.ts';
import { isRecord } from './tool-schema-shape.ts';

/** A request that passed every rule, as a default responder sees it. */
export interface ValidRequest {
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

/** The options every provider stand-in takes. */
export interface StandInOptions<TModelSpec, TReply> {
  /** The only API key accepted. Each stand-in has a default. */
  readonly apiKey?: string;
  /** The models served, by name. Each stand-in serves one model by default. */
  readonly models?: Readonly<Record<string, TModelSpec>>;
  /**
   * Answers a valid request when no reply is queued; return undefined to fall through to the 500. A promise
   * holds the request open until it settles (a test killing a worker mid-request).
   */
  readonly defaultResponder?: (request: ValidRequest) => TReply | undefined | Promise<TReply | undefined>;
}

/** What every provider stand-in offers a test: the server, its key, and the scripted reply queue. */
export interface ScriptedStandIn<TReply> extends StandInServer {
  /** The API key the stand-in accepts. */
  readonly apiKey: string;
  /** Queues replies for the next valid requests, in order. */
  enqueue(...replies: TReply[]): void;
  /** Queues a fault (e.g. 429 with `retry-after`, 500, 503, 529) answered as-is to the next valid request. */
  enqueueError(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
  /** Replies and faults still queued. */
  readonly pending: number;
  /** The parsed JSON bodies of the requests received on `path`, valid or not, in order. */
  bodiesAt(path: string): Record<string, unknown>[];
}

/**
 * Starts a stand-in server whose router gets the request and the reply queue.
 * @param name shown in 500 answers (stand-in bugs, forgotten replies).
 */
export async function startScriptedStandIn<TReply>(
  name: string,
  apiKey: string,
  route: (request: StandInRequest, queue: ReplyQueue<TReply>) => StandInResponse | Promise<StandInResponse>,
): Promise<ScriptedStandIn<TReply>> {
  const queue = new ReplyQueue<TReply>();
  const server = await startStandInServer(name, (request) => route(request, queue));
  return {
    url: server.url,
    requests: server.requests,
    rejections: server.rejections,
    stop: () => server.stop(),
    apiKey,
    enqueue: (...replies) => queue.enqueue(...replies),
    enqueueError: (status, body, headers) => queue.enqueueError(status, body, headers),
    get pending() {
      return queue.pending;
    },
    bodiesAt: (path) =>
      server.requests
        .filter((r) => r.path === path && isRecord(r.body))
        .map((r) => r.body as Record<string, unknown>),
  };
}

/** The names of the tools a request offered, found with `nameOf`; throws (500) when a scripted call names another. */
export function assertToolOffered(tools: unknown, nameOf: (tool: unknown) => unknown, name: string): void {
  const offered = Array.isArray(tools) ? tools.map(nameOf) : [];
  if (!offered.includes(name)) {
    throw new Error(
      `the scripted reply calls tool '${name}' but the request offered [${offered.join(', ')}]`,
    );
  }
}
