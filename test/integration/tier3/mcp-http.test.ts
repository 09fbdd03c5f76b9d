import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { meteredToolCall } from '../../../activities/mcp/mcp-activities.ts';
import { McpPool } from '../../../activities/mcp/mcp-pool.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { CircuitOpenError, DependencyUnavailableError } from '../../../activities/resilience/errors.ts';
import { freePort } from '../../support/free-port.ts';
import { FakeClock } from '../../unit/tier3/support/fake-clock.ts';
import { type HttpServer, startEverythingHttp } from './support/mcp-servers.ts';

/** The pool against server-everything serving Streamable HTTP, stopped and restarted under it. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(port: number): Promise<HttpServer> {
  const started = await startEverythingHttp(port);
  cleanups.push(started.stop);
  return started;
}

function httpPool(port: number, breakers = new CircuitBreakers()) {
  const config = parseDeploymentConfig(
    { mcpServers: { remote: { url: `http://127.0.0.1:${port}/mcp` } } },
    '/',
  );
  const pool = new McpPool(config.mcpServers, { breakers });
  cleanups.push(() => pool.close());
  return { pool, config };
}

describe('the MCP pool over Streamable HTTP', () => {
  it('calls tools and reconnects with a new session after the server restarts', async () => {
    const port = await freePort();
    const first = await server(port);
    const { pool } = httpPool(port);
    expect(await pool.callTool('remote', 'get-sum', { a: 2, b: 3 })).toEqual({
      text: 'The sum of 2 and 3 is 5.',
      isError: false,
    });
    expect(await pool.callTool('remote', 'get-structured-content', { location: 'New York' })).toMatchObject({
      structuredContent: { temperature: 33, conditions: 'Cloudy', humidity: 82 },
    });

    await first.stop();
    await server(port);
    expect(await pool.callTool('remote', 'get-sum', { a: 40, b: 2 })).toEqual({
      text: 'The sum of 40 and 2 is 42.',
      isError: false,
    });
  });

  it('opens the circuit while the server is down, fails fast, and closes it when the server is back', async () => {
    const port = await freePort();
    const clock = new FakeClock();
    const breakers = new CircuitBreakers({ failureThreshold: 2, coolDownMs: 5_000, clock });
    const { pool, config } = httpPool(port, breakers);
    const live = await server(port);
    await pool.callTool('remote', 'get-sum', { a: 1, b: 1 });
    await live.stop();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(pool.callTool('remote', 'get-sum', { a: 1, b: 1 })).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
    }
    expect(breakers.states()).toEqual({ 'mcp remote': 'open' });
    const started = performance.now();
    await expect(pool.callTool('remote', 'get-sum', { a: 1, b: 1 })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(performance.now() - started).toBeLessThan(50);

    const failure = await meteredToolCall(
      { pool, prices: config.prices, policy: config.toolPolicy },
      { server: 'remote', tool: 'get-sum', args: { a: 1, b: 1 } },
      { signal: new AbortController().signal, idempotencyKey: 'wf/run/1' },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CircuitOpen', nonRetryable: false, nextRetryDelay: 5_000 });

    await server(port);
    clock.advance(5_000);
    expect(breakers.states()).toEqual({ 'mcp remote': 'half-open' });
    expect(await pool.callTool('remote', 'get-sum', { a: 2, b: 2 })).toMatchObject({
      text: 'The sum of 2 and 2 is 4.',
    });
    expect(breakers.states()).toEqual({ 'mcp remote': 'closed' });
  });

  it('reports a server that never answered as unavailable, for Temporal to retry', async () => {
    const { pool, config } = httpPool(await freePort());
    const failure = await meteredToolCall(
      { pool, prices: config.prices, policy: config.toolPolicy },
      { server: 'remote', tool: 'get-sum', args: {} },
      { signal: new AbortController().signal, idempotencyKey: 'wf/run/2' },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: 'DependencyUnavailable', nonRetryable: false });
    expect((failure as Error).message).toMatch(/^MCP server "remote" is unavailable: fetch failed/);
  });
});
