import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyError, toActivityFailure } from '../../../activities/resilience/classify.ts';
import {
  CircuitOpenError,
  ConfigurationError,
  DependencyUnavailableError,
  PolicyError,
} from '../../../activities/resilience/errors.ts';
import { retryAfterMs } from '../../../activities/resilience/retry-after.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { FakeClock } from './support/fake-clock.ts';

const httpError = (status: number, headers?: Record<string, string>) =>
  Object.assign(new Error(`${status} status code`), {
    status,
    ...(headers ? { headers: new Headers(headers) } : {}),
  });

const fetchFailed = () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause: refused });
};

describe('error classification', () => {
  it('retries network failures, unreachable dependencies, timeouts and 5xx', () => {
    expect(classifyError(fetchFailed())).toEqual({ retryable: true, type: 'NetworkError' });
    expect(classifyError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).retryable).toBe(true);
    expect(classifyError(new DependencyUnavailableError('MCP server "x"', new Error('gone')))).toEqual({
      retryable: true,
      type: 'DependencyUnavailable',
    });
    expect(classifyError(httpError(503))).toEqual({ retryable: true, type: 'Http503' });
    expect(classifyError(httpError(408)).retryable).toBe(true);
    expect(classifyError(new McpError(ErrorCode.ConnectionClosed, 'Connection closed')).retryable).toBe(true);
    expect(classifyError(new McpError(ErrorCode.RequestTimeout, 'Request timed out')).retryable).toBe(true);
  });

  it('honours Retry-After on a 429', () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    expect(classifyError(httpError(429, { 'retry-after': '12' }), clock)).toEqual({
      retryable: true,
      type: 'RateLimited',
      retryAfterMs: 12_000,
    });
    expect(
      classifyError(httpError(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), clock).retryAfterMs,
    ).toBe(30_000);
    expect(
      classifyError(httpError(429, { 'retry-after-ms': '250', 'retry-after': '9' }), clock).retryAfterMs,
    ).toBe(250);
    expect(classifyError(httpError(429), clock)).toEqual({ retryable: true, type: 'RateLimited' });
  });

  it('does not retry other 4xx, validation, policy or configuration errors', () => {
    expect(classifyError(httpError(400))).toEqual({ retryable: false, type: 'Http400' });
    expect(classifyError(httpError(401)).retryable).toBe(false);
    expect(classifyError(new StreamableHTTPError(403, 'forbidden'))).toEqual({
      retryable: false,
      type: 'Http403',
    });
    expect(classifyError(new ValidationError('request', ['a: required'])).retryable).toBe(false);
    expect(classifyError(z.string().safeParse(1).error)).toEqual({
      retryable: false,
      type: 'ValidationError',
    });
    expect(classifyError(new PolicyError('denied'))).toEqual({ retryable: false, type: 'PolicyDenied' });
    expect(classifyError(new ConfigurationError('unknown model'))).toEqual({
      retryable: false,
      type: 'ConfigurationError',
    });
    expect(classifyError(new McpError(ErrorCode.InvalidParams, 'bad args')).retryable).toBe(false);
  });

  it('retries an open circuit after its cool-down', () => {
    expect(classifyError(new CircuitOpenError('mcp memory', 4_000))).toEqual({
      retryable: true,
      type: 'CircuitOpen',
      retryAfterMs: 4_000,
    });
  });

  it('treats what it does not know as transient, as Temporal does', () => {
    expect(classifyError(new RangeError('odd'))).toEqual({ retryable: true, type: 'RangeError' });
    expect(classifyError('a string')).toEqual({ retryable: true, type: 'Error' });
  });
});

describe('activity failures', () => {
  it('carry the classification to Temporal', () => {
    const limited = toActivityFailure(httpError(429, { 'retry-after': '3' }));
    expect(limited).toBeInstanceOf(ApplicationFailure);
    expect(limited).toMatchObject({
      type: 'RateLimited',
      nonRetryable: false,
      nextRetryDelay: 3000,
      message: '429 status code',
    });
    expect(limited.cause).toBeInstanceOf(Error);
    expect(toActivityFailure(new PolicyError('tool x is denied'))).toMatchObject({
      type: 'PolicyDenied',
      nonRetryable: true,
      message: 'tool x is denied',
    });
    expect(toActivityFailure(fetchFailed()).nextRetryDelay).toBeUndefined();
  });

  it('pass an ApplicationFailure through as it is', () => {
    const failure = ApplicationFailure.create({ type: 'McpToolError', nonRetryable: true, message: 'x' });
    expect(toActivityFailure(failure)).toBe(failure);
  });
});

describe('Retry-After', () => {
  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
    expect(retryAfterMs({ 'Retry-After': 'soon' }, 0)).toBeUndefined();
    expect(retryAfterMs({ 'Retry-After': '-1' }, 0)).toBeUndefined();
    expect(retryAfterMs({ 'Retry-After': '2' }, 0)).toBe(2000);
  });
});
