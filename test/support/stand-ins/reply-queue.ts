import { RejectedRequest, type StandInResponse } from './stand-in-server.ts';

/**
 * The scripted answers of a stand-in, first in first out: either a reply (shaped by the stand-in into the
 * provider's response) or an injected fault (an HTTP status, body and headers sent as they are, e.g. a 429
 * with `retry-after` or a 529 overload). A request that passed every rule takes the next entry; when the
 * queue is empty the default responder may answer, and otherwise the stand-in answers 500 saying the test
 * forgot to enqueue a reply.
 */
export type QueuedAnswer<TReply> =
  | { readonly kind: 'reply'; readonly reply: TReply }
  | { readonly kind: 'fault'; readonly response: StandInResponse };

export class ReplyQueue<TReply> {
  private readonly entries: QueuedAnswer<TReply>[] = [];

  /** Queues replies, answered in order. */
  enqueue(...replies: TReply[]): void {
    for (const reply of replies) this.entries.push({ kind: 'reply', reply });
  }

  /** Queues a fault: the next valid request gets exactly this status, body and headers. */
  enqueueError(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    this.entries.push({ kind: 'fault', response: { status, body, headers } });
  }

  /** Takes the next answer, or undefined when none is queued. */
  next(): QueuedAnswer<TReply> | undefined {
    return this.entries.shift();
  }

  /** How many answers are still queued (a test may assert it reached zero). */
  get pending(): number {
    return this.entries.length;
  }
}

/** Rough token estimate the stand-ins use for usage and context windows: one token per four characters. */
export function estimateTokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}

/**
 * The reply for a request that passed every rule: the next queued reply, or the default responder's answer
 * (which may take its time: a test holds a request open by answering with a promise it settles later).
 * @throws RejectedRequest carrying the queued fault when the next entry is a fault.
 * @throws Error (answered as 500) when nothing is queued and no default responder answers.
 */
export async function takeReply<TRequest, TReply>(
  queue: ReplyQueue<TReply>,
  defaultResponder: ((request: TRequest) => TReply | undefined | Promise<TReply | undefined>) | undefined,
  request: TRequest,
): Promise<TReply> {
  const queued = queue.next();
  if (queued?.kind === 'fault') throw new RejectedRequest(queued.response, { injected: true });
  if (queued?.kind === 'reply') return queued.reply;
  const answered = await defaultResponder?.(request);
  if (answered !== undefined) return answered;
  throw new Error(
    'the request was valid but no reply was enqueued and no default responder answered: the test forgot to enqueue a reply',
  );
}
