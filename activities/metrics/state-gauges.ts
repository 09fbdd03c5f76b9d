import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type { CircuitState } from '../resilience/circuit-breaker.ts';
import type { CircuitBreakers } from '../resilience/circuit-breakers.ts';
import type { SwarmflowMetrics } from './swarmflow-metrics.ts';

const circuitStates: CircuitState[] = ['closed', 'open', 'half-open'];
/** A scrape waits this long for the database or Temporal; a slower answer leaves the last value. */
const lookupTimeoutMs = 3_000;

/** The breaker-state gauge's values: 1 for each breaker's state, 0 for its other states. */
export function breakerStateSamples(
  states: Record<string, CircuitState>,
): { labels: { dependency: string; state: CircuitState }; value: number }[] {
  return Object.entries(states).flatMap(([dependency, current]) =>
    circuitStates.map((state) => ({ labels: { dependency, state }, value: state === current ? 1 : 0 })),
  );
}

/**
 * Reads the state of every watched set of breakers at scrape time (a worker's models and MCP
 * servers share one set; a test process may run several workers).
 */
export function watchCircuitBreakers(metrics: SwarmflowMetrics, breakers: CircuitBreakers): () => void {
  const watched = watchedBreakers(metrics);
  watched.add(breakers);
  return () => watched.delete(breakers);
}

const breakerSets = new WeakMap<SwarmflowMetrics, Set<CircuitBreakers>>();

function watchedBreakers(metrics: SwarmflowMetrics): Set<CircuitBreakers> {
  let watched = breakerSets.get(metrics);
  if (watched) return watched;
  watched = new Set();
  breakerSets.set(metrics, watched);
  const sets = watched;
  const gauge = metrics.circuitBreakerState;
  // prom-client calls `collect` on every scrape, before it reads the gauge.
  Object.assign(gauge, {
    collect() {
      gauge.reset();
      for (const breakers of sets)
        for (const { labels, value } of breakerStateSamples(breakers.states())) gauge.set(labels, value);
    },
  });
  return watched;
}

/**
 * Open incidents (from the runs read model) and runs waiting for approval (from Temporal's
 * visibility), read at scrape time. Both are deployment-wide: every process that reports them
 * reports the same number, so aggregate them with max(), not sum().
 */
export function watchBacklog(
  metrics: SwarmflowMetrics,
  sources: { db: Kysely<Database>; temporal: Client },
): void {
  const { incidentsOpen, approvalsPending } = metrics;
  Object.assign(incidentsOpen, {
    async collect() {
      const count = await withTimeout(async () => {
        const row = await sources.db
          .selectFrom('runs')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('status', '=', 'incident')
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        return Number(row?.count ?? 0);
      });
      if (count !== undefined) incidentsOpen.set(count);
    },
  });
  Object.assign(approvalsPending, {
    async collect() {
      const count = await withTimeout(async () => {
        const query = [
          `WorkflowType = 'runWorkflow'`,
          `ExecutionStatus = 'Running'`,
          `${SearchAttributes.pendingApprovals.name} > 0`,
        ].join(' AND ');
        return (await sources.temporal.workflow.count(query)).count;
      });
      if (count !== undefined) approvalsPending.set(count);
    },
  });
}

/** The lookup's answer, or undefined when it fails or takes longer than a scrape should wait. */
async function withTimeout<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), lookupTimeoutMs);
  });
  try {
    return await Promise.race([lookup(), late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
