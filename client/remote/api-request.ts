import type { ApiOperation } from '../../schema/api/operation.ts';
import { ValidationError } from '../../schema/validation.ts';

/** One call's parts before they are put on the wire: path parameters, query and JSON body. */
export interface CallParts {
  params?: Record<string, unknown> | undefined;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}

/** A call as HTTP: what `fetch` is given. */
export interface HttpRequest {
  method: ApiOperation['method'];
  url: string;
  /** JSON text; present exactly when the operation takes a body. */
  body?: string;
}

/**
 * The HTTP request of one operation of the REST contract: `:name`s of its path filled with the
 * URL-encoded parameters, the query's defined values encoded (dates as ISO strings, arrays as
 * repeated keys), and the body as JSON (`{}` when the operation takes one and none is given).
 * `baseUrl` may carry a path prefix (`https://host/swarmflow`).
 * @throws ValidationError when a path parameter is missing or empty.
 */
export function buildHttpRequest(baseUrl: string, operation: ApiOperation, parts: CallParts): HttpRequest {
  const path = operation.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = parts.params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new ValidationError('request', [`${name}: required, it is part of the path ${operation.path}`]);
    }
    return encodeURIComponent(wireText(value));
  });
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(parts.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) url.searchParams.append(key, wireText(item));
    }
  }
  return {
    method: operation.method,
    url: url.toString(),
    ...(operation.body ? { body: JSON.stringify(parts.body ?? {}) } : {}),
  };
}

function wireText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
