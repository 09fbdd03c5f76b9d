import type { JsonValue, Variables } from '../../schema/json.ts';
import { toActivityFailure } from '../resilience/classify.ts';
import { headerValue } from './header-value.ts';
import type { TaskContext } from './registry.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/** A non-2xx answer, carrying what error classification reads: the status and the headers (Retry-After). */
class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

/**
 * `http`: one HTTP request built from the task's headers (a value starting with `=` is FEEL):
 * `url`, `method` (GET), `body` (sent as JSON), `headers` (a context), `timeoutMs`, and
 * `resultVariable` (`response`) for `{ status, body, headers }`. A non-2xx answer fails the
 * step: 4xx at once, 408/425/429/5xx retried (429 after its Retry-After).
 */
export async function http({ variables, headers, signal }: TaskContext): Promise<Variables> {
  const url = headers.url === undefined ? undefined : String(headerValue(headers.url, variables));
  if (!url) throw toActivityFailure(new TypeError('the http task needs a "url" header'));
  const method = String(headerValue(headers.method ?? 'GET', variables)).toUpperCase();
  const body = headers.body === undefined ? undefined : headerValue(headers.body, variables);
  const timeoutMs = Number(headers.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...requestHeaders(headers, variables),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
  const text = await response.text();
  if (!response.ok) {
    const error = new HttpStatusError(
      `${method} ${url} answered ${response.status}: ${text.slice(0, 200)}`,
      response.status,
      response.headers,
    );
    throw toActivityFailure(error);
  }
  return {
    [headers.resultVariable ?? 'response']: {
      status: response.status,
      body: parseBody(text),
      headers: Object.fromEntries(response.headers),
    },
  };
}

function requestHeaders(headers: Record<string, string>, variables: Variables): Record<string, string> {
  if (headers.headers === undefined) return {};
  const value = headerValue(headers.headers, variables);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, String(item)]));
}

function parseBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
