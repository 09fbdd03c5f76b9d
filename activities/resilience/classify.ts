import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { ValidationError } from '../../schema/validation.ts';
import { type Clock, systemClock } from './clock.ts';
import { isDatabaseConnectionError } from './database-errors.ts';
import { CircuitOpenError, ConfigurationError, DependencyUnavailableError, PolicyError } from './errors.ts';
import { isNetworkError } from './network-errors.ts';
import { retryAfterMs } from './retry-after.ts';

/** Whether a retry may help, the failure type Temporal records, and how long to wait first if the error says. */
export interface Classification {
  retryable: boolean;
  type: string;
  retryAfterMs?: number;
}

const TRANSIENT_MCP_CODES = new Set<number>([
  ErrorCode.ConnectionClosed,
  ErrorCode.RequestTimeout,
  ErrorCode.InternalError,
]);

/**
 * Transient: network failures, unreachable dependencies, a lost database connection, open circuits, timeouts, HTTP 408/425/429
 * and 5xx (429 honouring Retry-After). Permanent: other 4xx, validation, policy, configuration.
 * Anything unknown is transient, as Temporal assumes, and bounded by the retry policy.
 */
export function classifyError(error: unknown, clock: Clock = systemClock): Classification {
  if (error instanceof ApplicationFailure)
    return { retryable: !error.nonRetryable, type: error.type ?? 'Error' };
  if (error instanceof CircuitOpenError)
    return { retryable: true, type: 'CircuitOpen', retryAfterMs: error.retryAfterMs };
  if (error instanceof PolicyError) return { retryable: false, type: 'PolicyDenied' };
  if (error instanceof ConfigurationError) return { retryable: false, type: 'ConfigurationError' };
  if (error instanceof ValidationError || error instanceof ZodError)
    return { retryable: false, type: 'ValidationError' };
  if (error instanceof DependencyUnavailableError) return { retryable: true, type: 'DependencyUnavailable' };
  if (error instanceof McpError) return { retryable: TRANSIENT_MCP_CODES.has(error.code), type: 'McpError' };
  const status = httpStatus(error);
  if (status !== undefined) return classifyStatus(status, error, clock);
  if (isDatabaseConnectionError(error)) return { retryable: true, type: 'DatabaseUnavailable' };
  if (isNetworkError(error)) return { retryable: true, type: 'NetworkError' };
  return { retryable: true, type: error instanceof Error ? error.name : 'Error' };
}

/** True when a retry may help: what breakers count as a failure of the dependency. */
export function isTransient(error: unknown): boolean {
  return classifyError(error).retryable;
}

/** The Temporal failure an activity throws for `error`: retryable or not, with the delay a 429 asked for. */
export function toActivityFailure(error: unknown, clock: Clock = systemClock): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const { retryable, type, retryAfterMs } = classifyError(error, clock);
  return ApplicationFailure.create({
    message: error instanceof Error ? error.message : String(error),
    type,
    nonRetryable: !retryable,
    ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

function classifyStatus(status: number, error: unknown, clock: Clock): Classification {
  if (status === 429) {
    const delay = retryAfterMs((error as { headers?: Headers }).headers, clock.now());
    return { retryable: true, type: 'RateLimited', ...(delay !== undefined ? { retryAfterMs: delay } : {}) };
  }
  const retryable = status >= 500 || status === 408 || status === 425;
  return { retryable, type: `Http${status}` };
}

/** The HTTP status an SDK error carries: `status` (OpenAI, Anthropic), `statusCode`, or an MCP HTTP error's `code`. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as Record<string, unknown>;
  const candidate = error instanceof StreamableHTTPError ? error.code : (status ?? statusCode);
  return typeof candidate === 'number' && candidate >= 100 && candidate < 600 ? candidate : undefined;
}
