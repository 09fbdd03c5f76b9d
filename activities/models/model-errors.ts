import { ApplicationFailure } from '@temporalio/common';
import { classifyError } from '../resilience/classify.ts';
import { type Clock, systemClock } from '../resilience/clock.ts';
import { retryAfterMs } from '../resilience/retry-after.ts';
import { ToolSchemaError } from './tool-schemas/index.ts';

/**
 * What a model provider's error means, in the terms of the OpenAI and Anthropic error pages:
 *
 * - `rejected` (400), `unauthorized` (401), `forbidden` (403), `not-found` (404, an unknown
 *   model): retrying the same request cannot help; the provider's own message is quoted.
 * - `context-length`: the conversation is longer than the model takes (a 400 both providers
 *   give, which LangChain turns into a ContextOverflowError); reported with the token counts.
 * - `overloaded` (529, 503), `rate-limited` (429), `unavailable` (408, 409, 425, other 5xx, the
 *   network): retried by Temporal, after the `Retry-After` the response asked for.
 */
export type ModelFailureKind =
  | 'rejected'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'context-length'
  | 'overloaded'
  | 'rate-limited'
  | 'unavailable';

export interface ModelFailure {
  kind: ModelFailureKind;
  retryable: boolean;
  /** The Temporal failure type: ProviderRejected, ModelNotFound, ContextLengthExceeded, ... */
  type: string;
  message: string;
  retryAfterMs?: number;
}

const failureTypes: Record<ModelFailureKind, string> = {
  rejected: 'ProviderRejected',
  unauthorized: 'ProviderUnauthorized',
  forbidden: 'ProviderForbidden',
  'not-found': 'ModelNotFound',
  'context-length': 'ContextLengthExceeded',
  overloaded: 'ProviderOverloaded',
  'rate-limited': 'RateLimited',
  unavailable: 'ProviderUnavailable',
};

/** Kinds after which a model's fallbacks take over at once, without waiting for retries. */
export const FALL_BACK_AT_ONCE: ReadonlySet<ModelFailureKind> = new Set(['overloaded', 'not-found']);

/** What `error`, thrown by a call to `model` (a configured name), means; undefined when it is not the provider's. */
export function describeModelFailure(
  error: unknown,
  model: string,
  clock: Clock = systemClock,
): ModelFailure | undefined {
  const overflow = contextOverflow(error);
  if (overflow !== undefined) {
    return {
      kind: 'context-length',
      retryable: false,
      type: failureTypes['context-length'],
      message: `the conversation is too long for model "${model}"${overflow}: shorten the prompt or the inputs, or use a model with a larger context window`,
    };
  }
  const status = statusOf(error);
  const kind = status === undefined ? undefined : kindOfStatus(status);
  if (status === undefined || kind === undefined) return undefined;
  const retryable = !['rejected', 'unauthorized', 'forbidden', 'not-found'].includes(kind);
  const delay = retryable ? retryAfterMs(headersOf(error), clock.now()) : undefined;
  return {
    kind,
    retryable,
    type: failureTypes[kind],
    message: `model "${model}": the provider answered HTTP ${status}: ${providerMessage(error)}`,
    ...(delay === undefined ? {} : { retryAfterMs: delay }),
  };
}

/** The activity failure for an error of a model call: the provider's, classified as above, or any other. */
export function toModelActivityFailure(
  error: unknown,
  model: string,
  clock: Clock = systemClock,
): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof ToolSchemaError) {
    return ApplicationFailure.create({ message: error.message, type: 'ToolSchemaError', nonRetryable: true });
  }
  const failure = describeModelFailure(error, model, clock);
  const { retryable, type, retryAfterMs: delay } = failure ?? classifyError(error, clock);
  return ApplicationFailure.create({
    message: failure?.message ?? (error instanceof Error ? error.message : String(error)),
    type,
    nonRetryable: !retryable,
    ...(delay === undefined ? {} : { nextRetryDelay: delay }),
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

function kindOfStatus(status: number): ModelFailureKind | undefined {
  if (status === 400 || status === 422) return 'rejected';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 409 || status === 425 || status >= 500) return 'unavailable';
  return status >= 400 ? 'rejected' : undefined;
}

/**
 * `: N tokens, the model takes M` when the error says so (OpenAI: "maximum context length is M
 * tokens. However, your messages resulted in N tokens"; Anthropic: "prompt is too long: N
 * tokens > M maximum"); '' for an overflow without numbers; undefined for any other error.
 */
function contextOverflow(error: unknown): string | undefined {
  const chain = errorChain(error);
  const overflow = chain.some(
    (link) =>
      link.name === 'ContextOverflowError' ||
      codeOf(link) === 'context_length_exceeded' ||
      /maximum context length|prompt is too long|context window/i.test(link.message),
  );
  if (!overflow) return undefined;
  const text = chain.map((link) => link.message).join(' ');
  const openAi = /maximum context length is (\d+) tokens.*?resulted in (\d+) tokens/is.exec(text);
  if (openAi) return `: ${openAi[2]} tokens, the model takes ${openAi[1]}`;
  const anthropic = /prompt is too long: (\d+) tokens > (\d+) maximum/i.exec(text);
  if (anthropic) return `: ${anthropic[1]} tokens, the model takes ${anthropic[2]}`;
  return '';
}

function errorChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let link: unknown = error; link instanceof Error && chain.length < 5; link = link.cause)
    chain.push(link);
  return chain;
}

function statusOf(error: unknown): number | undefined {
  for (const link of errorChain(error)) {
    const { status } = link as { status?: unknown };
    if (typeof status === 'number' && status >= 100 && status < 600) return status;
  }
  return undefined;
}

function headersOf(error: unknown): Headers | Record<string, unknown> | undefined {
  for (const link of errorChain(error)) {
    const { headers } = link as { headers?: Headers | Record<string, unknown> };
    if (headers) return headers;
  }
  return undefined;
}

function codeOf(error: Error): string | undefined {
  const { code, error: body } = error as {
    code?: unknown;
    error?: { code?: unknown; error?: { type?: unknown } };
  };
  const candidate = code ?? body?.code;
  return typeof candidate === 'string' ? candidate : undefined;
}

/**
 * The provider's own words: the `message` of its JSON error body (OpenAI `{error: {message}}`,
 * Anthropic `{type: "error", error: {message}}`), else the error's message.
 */
function providerMessage(error: unknown): string {
  for (const link of errorChain(error)) {
    const body = (link as { error?: unknown }).error;
    const message = messageOfBody(body);
    if (message) return message;
  }
  return error instanceof Error ? error.message : String(error);
}

function messageOfBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  if (typeof message === 'string' && message) return message;
  return messageOfBody(error);
}
