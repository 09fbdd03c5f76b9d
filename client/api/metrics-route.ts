import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { processMetrics } from '../../activities/metrics/process-metrics.ts';
import { watchBacklog } from '../../activities/metrics/state-gauges.ts';
import type { Database } from '../../schema/db/tables.ts';

/**
 * `GET /metrics`: the API server's Prometheus metrics (approval decisions, scores and proposals
 * recorded through it; open incidents and pending approvals of the deployment). Like `/healthz`
 * it needs no credentials, so it is served only when asked for (`swarmflow serve --metrics`):
 * its labels name tenants and routines, and the API server is the public door. Let the scraper
 * reach it on an internal address; do not route `/metrics` through a public ingress.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; temporal: Client },
): void {
  const metrics = processMetrics();
  watchBacklog(metrics, deps);
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
