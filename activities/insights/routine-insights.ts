import { type Kysely, sql } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { InsightsReport } from '../../schema/insights.ts';
import type { JsonSchema, JsonValue } from '../../schema/json.ts';
import { findDeterministicSteps } from './deterministic-steps.ts';
import { clusterFailures, type RecordedFailure } from './failure-clusters.ts';
import { findOutliers, type MetricSample, type OutlierRule } from './outliers.ts';
import {
  type ChainOptions,
  findRoutineChains,
  type RecordedRun,
  type RoutineSchemas,
} from './routine-chains.ts';

export interface InsightsOptions {
  /** Only runs started at or after this time; default all. */
  since?: Date;
  /** At most this many runs of the routine, the newest; default 5000. */
  maxRuns?: number;
  outliers?: OutlierRule;
  /** Samples an LLM step needs to be judged deterministic; default 3. */
  minDeterministicRuns?: number;
  chains?: ChainOptions;
}

/** Which failures a run's element id stands for when the run failed with no failed step recorded. */
const wholeRun = '(run)';

const stepInputNote =
  "LLM steps recorded before migration 0013 have no input fingerprint: for them the run's input stands in for " +
  "the step's (a stricter test; steps after a varying earlier step are missed)";

/**
 * What the read models tell about one routine of one tenant: its failures clustered by element
 * and error, its cost and latency outliers (per element and per run), the LLM steps whose output
 * was a function of their input, and the routines it runs one after the other with and whose
 * schemas fit. Reads runs, run_steps, swarm_subtasks and routine_versions; works on the owner's
 * database (filtering by tenant) and on a tenant-scoped one alike. An unknown routine gives an
 * empty report.
 */
export async function routineInsights(
  db: Kysely<Database>,
  tenantId: string,
  routineId: string,
  options: InsightsOptions = {},
): Promise<InsightsReport> {
  const since = options.since ?? null;
  let runsQuery = db
    .selectFrom('runs')
    .select(['run_id', 'status', 'error', 'started_at', 'ended_at', 'usage', 'input'])
    .where('tenant_id', '=', tenantId)
    .where('routine_id', '=', routineId)
    .orderBy('started_at', 'desc')
    .limit(options.maxRuns ?? 5000);
  if (since) runsQuery = runsQuery.where('started_at', '>=', since);
  const runs = await runsQuery.execute();
  const runIds = runs.map((r) => r.run_id);
  const steps =
    runIds.length === 0
      ? []
      : await db
          .selectFrom('run_steps')
          .select([
            'run_id',
            'element_id',
            'status',
            'error',
            'ended_at',
            'duration_ms',
            'usage',
            'strategy',
            'input_hash',
            'output',
          ])
          .where('tenant_id', '=', tenantId)
          .where('run_id', 'in', runIds)
          .execute();

  const failedStepRuns = new Set<string>();
  const failures: RecordedFailure[] = [];
  for (const step of steps) {
    if (step.status !== 'failed') continue;
    failedStepRuns.add(step.run_id);
    failures.push({
      runId: step.run_id,
      elementId: step.element_id,
      error: step.error ?? 'failed',
      at: step.ended_at,
    });
  }
  const failedRuns = runs.filter((r) => r.status === 'failed' || r.status === 'incident');
  for (const run of failedRuns) {
    if (failedStepRuns.has(run.run_id)) continue;
    failures.push({
      runId: run.run_id,
      elementId: wholeRun,
      error: run.error ?? run.status,
      at: run.ended_at ?? run.started_at,
    });
  }

  const latency: MetricSample[] = steps.map((s) => ({
    runId: s.run_id,
    elementId: s.element_id,
    value: s.duration_ms,
  }));
  const credits: MetricSample[] = steps
    .filter((s) => s.usage !== null)
    .map((s) => ({ runId: s.run_id, elementId: s.element_id, value: s.usage?.credits ?? 0 }));
  for (const run of runs) {
    if (run.ended_at) {
      latency.push({
        runId: run.run_id,
        elementId: wholeRun,
        value: run.ended_at.getTime() - run.started_at.getTime(),
      });
    }
    if (run.usage) credits.push({ runId: run.run_id, elementId: wholeRun, value: run.usage.credits });
  }

  const inputOf = new Map(runs.map((r) => [r.run_id, r.input as JsonValue]));
  const llmSteps = steps.filter(
    (s) => s.strategy !== null && s.strategy !== 'blocked' && s.status === 'completed' && s.output !== null,
  );
  const llmSamples = llmSteps.map((s) => ({
    runId: s.run_id,
    elementId: s.element_id,
    strategy: s.strategy as string,
    // The step's own input (the fingerprint of what its model was sent), else its run's.
    input: s.input_hash ?? inputOf.get(s.run_id) ?? null,
    output: s.output as JsonValue,
  }));

  return {
    routineId,
    since,
    runs: runs.length,
    failedRuns: failedRuns.length,
    failureClusters: clusterFailures(failures),
    outliers: [
      ...findOutliers(latency, 'latencyMs', options.outliers),
      ...findOutliers(credits, 'credits', options.outliers),
    ],
    deterministicCandidates: findDeterministicSteps(llmSamples, {
      minRuns: options.minDeterministicRuns ?? 3,
    }),
    chainCandidates: await chainCandidates(db, tenantId, routineId, since, options.chains),
    notes: llmSteps.some((s) => s.input_hash === null) ? [stepInputNote] : [],
  };
}

async function chainCandidates(
  db: Kysely<Database>,
  tenantId: string,
  routineId: string,
  since: Date | null,
  options: ChainOptions | undefined,
) {
  let pairsQuery = db
    .selectFrom('swarm_subtasks as later')
    .innerJoin('swarms', 'swarms.swarm_id', 'later.swarm_id')
    .innerJoin('swarm_subtasks as earlier', (join) =>
      join
        .onRef('earlier.swarm_id', '=', 'later.swarm_id')
        .on(sql<boolean>`later.depends_on ? earlier.subtask_id`),
    )
    .select(['earlier.routine_id as before', 'later.routine_id as after'])
    .where('swarms.tenant_id', '=', tenantId)
    .where('earlier.routine_id', 'is not', null)
    .where('later.routine_id', 'is not', null)
    .where((eb) => eb.or([eb('earlier.routine_id', '=', routineId), eb('later.routine_id', '=', routineId)]));
  if (since) pairsQuery = pairsQuery.where('swarms.started_at', '>=', since);
  const swarmPairs = (await pairsQuery.execute()).map((p) => ({
    before: p.before as string,
    after: p.after as string,
  }));

  // Back-to-back runs of any routine of the tenant around the routine's runs.
  let runsQuery = db
    .selectFrom('runs')
    .select(['run_id', 'routine_id', 'started_at', 'ended_at', 'input', 'outputs'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'completed')
    .where('ended_at', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(20_000);
  if (since) runsQuery = runsQuery.where('started_at', '>=', since);
  const runs: RecordedRun[] = (await runsQuery.execute()).map((r) => ({
    runId: r.run_id,
    routineId: r.routine_id,
    startedAt: r.started_at,
    endedAt: r.ended_at as Date,
    input: r.input,
    outputs: r.outputs,
  }));

  const routineIds = new Set([
    routineId,
    ...swarmPairs.flatMap((p) => [p.before, p.after]),
    ...runs.map((r) => r.routineId),
  ]);
  const versions = await db
    .selectFrom('routine_versions as v')
    .innerJoin('routines as r', (join) =>
      join
        .onRef('r.tenant_id', '=', 'v.tenant_id')
        .onRef('r.id', '=', 'v.routine_id')
        .onRef('r.active_version', '=', 'v.version'),
    )
    .select(['v.routine_id', 'v.input_schema', 'v.output_schema'])
    .where('v.tenant_id', '=', tenantId)
    .where('v.routine_id', 'in', [...routineIds])
    .execute();
  const schemas = new Map<string, RoutineSchemas>(
    versions.map((v) => [
      v.routine_id,
      { input: v.input_schema as JsonSchema | null, output: v.output_schema as JsonSchema | null },
    ]),
  );
  return findRoutineChains(routineId, swarmPairs, runs, schemas, options);
}
