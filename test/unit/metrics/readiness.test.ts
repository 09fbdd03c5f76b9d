import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../../workers/metrics-server.ts';
import { joinExpositions } from '../../../workers/process-metrics-text.ts';
import { checkReadiness } from '../../../workers/readiness.ts';
import { scrapeTemporalMetrics } from '../../../workers/temporal-runtime.ts';

describe('checkReadiness', () => {
  it('is ready when every check is, and names why the others are not', async () => {
    expect(await checkReadiness({ a: async () => true })).toEqual({ ready: true, checks: { a: 'ok' } });
    const report = await checkReadiness(
      {
        temporal: async () => true,
        database: async () => {
          throw new Error('connect ECONNREFUSED');
        },
        taskQueue: async () => 'not polled',
        slow: () => new Promise(() => {}),
      },
      50,
    );
    expect(report).toEqual({
      ready: false,
      checks: {
        temporal: 'ok',
        database: 'unavailable: connect ECONNREFUSED',
        taskQueue: 'not polled',
        slow: 'no answer within 50 ms',
      },
    });
  });
});

describe('joinExpositions', () => {
  it('puts each part on lines of its own and drops empty ones', () => {
    expect(joinExpositions('a 1', '', 'b 2\n')).toBe('a 1\nb 2\n');
  });
});

describe('scrapeTemporalMetrics', () => {
  const core = createServer((request, response) => {
    response.end(request.url === '/metrics' ? 'temporal_request_total 3\n' : 'nope');
  });
  afterAll(() => new Promise<void>((resolve) => core.close(() => resolve())));

  it("returns core's exposition, nothing without an exporter, a comment when it does not answer", async () => {
    await new Promise<void>((resolve) => core.listen(0, '127.0.0.1', () => resolve()));
    const { port } = core.address() as AddressInfo;
    expect(await scrapeTemporalMetrics(`127.0.0.1:${port}`)).toBe('temporal_request_total 3\n');
    expect(await scrapeTemporalMetrics(undefined)).toBe('');
    expect(await scrapeTemporalMetrics('127.0.0.1:1')).toMatch(/^# temporal core metrics unavailable: /);
  });
});

describe('the metrics server', () => {
  it('serves /metrics, /healthz and /readyz (503 naming what is not ready)', async () => {
    let ready = true;
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: async () => 'swarmflow_x_total 1\n',
      readiness: async () => ({ ready, checks: { database: ready ? 'ok' : 'unavailable: down' } }),
    });
    try {
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await metrics.text()).toBe('swarmflow_x_total 1\n');
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const up = await fetch(`${server.url}/readyz`);
      expect([up.status, await up.json()]).toEqual([200, { status: 'ready', database: 'ok' }]);
      ready = false;
      const down = await fetch(`${server.url}/readyz`);
      expect([down.status, await down.json()]).toEqual([
        503,
        { status: 'unavailable', database: 'unavailable: down' },
      ]);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
