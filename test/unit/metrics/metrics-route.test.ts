import type { Client } from '@temporalio/client';
import Fastify from 'fastify';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { registerMetricsRoute } from '../../../client/api/metrics-route.ts';
import type { Database } from '../../../schema/db/tables.ts';

describe("the API server's /metrics", () => {
  it('serves the process metrics as Prometheus text, leaving out gauges whose source does not answer', async () => {
    const app = Fastify();
    const unreachable = new Proxy(
      {},
      {
        get() {
          throw new Error('unreachable');
        },
      },
    );
    registerMetricsRoute(app, {
      db: unreachable as Kysely<Database>,
      temporal: unreachable as Client,
    });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toMatch(/^# TYPE swarmflow_runs_started_total counter$/m);
    expect(response.body).toMatch(/^# TYPE swarmflow_incidents_open gauge$/m);
    await app.close();
  });
});
