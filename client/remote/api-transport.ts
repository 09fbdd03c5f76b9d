import { z } from 'zod';
import { ApiErrorBody } from '../../schema/api/api-error.ts';
import type { ApiOperation, OperationRequest, OperationResult } from '../../schema/api/operation.ts';
import { type ApiOperationId, type ApiOperations, apiOperations } from '../../schema/api/operations.ts';
import { parseInput } from '../../schema/validation.ts';
import { buildHttpRequest, type CallParts } from './api-request.ts';
import { errorFromBody } from './error-from-body.ts';
import { ApiUnreachableError, RemoteApiError } from './remote-errors.ts';
import { fromWire } from './wire-values.ts';

/** How a remote client reaches the API server. */
export const RemoteClientOptions = z.object({
  /** The API server's base URL, e.g. `https://swarmflow.example.com` (what `swarmflow serve` listens on). */
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL of the API server' }),
  /** An API key (`sfk_…`) or an OIDC access token, sent as `Authorization: Bearer <apiKey>`. */
  apiKey: z.string().trim().min(1, 'an API key or OIDC token (create a key with `swarmflow keys create`)'),
  /** The platform's fetch by default; a test or a proxy may give its own. */
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'a fetch function').optional(),
  /** How long one request may take before it fails; 30 s by default (long polls get their wait on top). */
  timeoutMs: z.int().positive().optional(),
});
export type RemoteClientOptions = z.input<typeof RemoteClientOptions>;

/** What a call of operation `K` sends: its path parameters, query and body, each only if it has them. */
export type CallRequest<K extends ApiOperationId> = Partial<OperationRequest<ApiOperations[K]>>;

const defaultTimeoutMs = 30_000;

/**
 * Sends the operations of the REST contract (`schema/api/operations.ts`) and reads their answers:
 * one generic `call` for every operation, so the contract is written once.
 */
export class ApiTransport {
  readonly url: string;
  private readonly apiKey: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  /** @throws ValidationError when the URL is not http(s) or the key is empty (the key is never shown). */
  constructor(options: RemoteClientOptions) {
    const parsed = parseInput(RemoteClientOptions, options, 'remote client options');
    this.url = parsed.url;
    this.apiKey = parsed.apiKey;
    this.fetch = parsed.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = parsed.timeoutMs ?? defaultTimeoutMs;
  }

  /**
   * Calls one operation: fills its path, encodes its query, sends its body as JSON with the
   * bearer token, and parses the answer with the operation's response schema.
   * @throws the SDK's own error class the server's error answer names (ValidationError,
   *   UnknownRunError, PermissionDeniedError, UnauthenticatedError…), else RemoteApiError.
   * @throws ApiUnreachableError when the server cannot be reached or does not answer in time.
   * @throws RemoteApiError (type `InvalidResponse`) when the answer is not the API's.
   */
  async call<K extends ApiOperationId>(
    operationId: K,
    request: CallRequest<K> = {},
  ): Promise<OperationResult<ApiOperations[K]>> {
    const operation: ApiOperation = apiOperations[operationId];
    const parts = request as CallParts;
    const http = buildHttpRequest(this.url, operation, parts);
    const where = `${http.method} ${operation.path}`;
    const waitMs = Number(parts.query?.waitMs ?? 0);
    let response: Response;
    try {
      response = await this.fetch(http.url, {
        method: http.method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: 'application/json',
          ...(http.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(http.body === undefined ? {} : { body: http.body }),
        signal: AbortSignal.timeout(this.timeoutMs + waitMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer to ${where} within ${this.timeoutMs + waitMs} ms`
          : networkReason(error);
      throw new ApiUnreachableError(this.url, reason, { cause: error });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new RemoteApiError(
        'InvalidResponse',
        response.status,
        `${where} at ${this.url} answered ${response.status} with something other than JSON: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok) {
      const body = ApiErrorBody.safeParse(json);
      if (body.success) throw errorFromBody(body.data.error, parts);
      throw new RemoteApiError(
        `HTTP${response.status}`,
        response.status,
        `${where} at ${this.url} answered ${response.status} ${response.statusText}: ${text.slice(0, 200)}`,
      );
    }
    const result = operation.response.safeParse(fromWire(operation.response, json));
    if (!result.success) {
      const problems = result.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new RemoteApiError(
        'InvalidResponse',
        response.status,
        `the answer of ${where} at ${this.url} is not what the API promises (is the server another version?): ${problems.join('; ')}`,
      );
    }
    return result.data as OperationResult<ApiOperations[K]>;
  }
}

/** Why fetch failed, from its cause: Node's fetch says only "fetch failed" and keeps ECONNREFUSED below. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
