import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';

/** How long a readiness probe waits for each dependency. */
const probeTimeoutMs = 2_000;

/**
 * `/healthz`: the process serves (liveness). `/readyz`: PostgreSQL and Temporal answer now
 * (readiness), 503 naming the one that does not. Neither needs credentials nor says more.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; temporal: Client },
): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [database, temporal] = await Promise.all([
      probe(() => sql`select 1`.execute(deps.db)),
      probe(() =>
        deps.temporal.connection.withDeadline(Date.now() + probeTimeoutMs, () =>
          deps.temporal.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const ready = database === 'ok' && temporal === 'ok';
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', database, temporal });
  });
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), probeTimeoutMs);
  });
  try {
    return await Promise.race([check().then(() => 'ok' as const), timeout]);
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
