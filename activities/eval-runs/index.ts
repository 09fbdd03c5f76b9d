import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { ProcessGraph } from '../../schema/graph.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { runWorkflowInput } from '../runs/run-start.ts';
import { UnknownRoutineError, UnknownRoutineVersionError } from '../store/errors.ts';
import { recordEvalCase, recordEvalEnded, recordEvalStarted } from '../store/eval-store.ts';
import { RoutineStore } from '../store/routine-store.ts';
import type { EvalRunActivities } from './contract.ts';
import { matchingCall, recordedToolCalls } from './source-run-history.ts';

export interface EvalRunActivityDependencies {
  db: Kysely<Database>;
  /** Reads source runs' histories for replays. */
  temporal: Client;
}

/** The activities of eval runs (see contract.ts), bound to the database and Temporal. */
export function createEvalRunActivities({ db, temporal }: EvalRunActivityDependencies) {
  const routines = new RoutineStore(db);
  const assertSourceRun = async (tenantId: string, sourceRunId: string) => {
    const found = await db
      .selectFrom('runs')
      .select('run_id')
      .where('tenant_id', '=', tenantId)
      .where('run_id', '=', sourceRunId)
      .executeTakeFirst();
    if (found) return;
    throw ApplicationFailure.create({
      type: 'UnknownSourceRun',
      nonRetryable: true,
      message: `the eval case's source run "${sourceRunId}" is not a run of this tenant`,
      details: [
        { hint: 'give the case the id of a recorded run (swarmflow runs list), or leave sourceRunId out' },
      ],
    });
  };
  return {
    async prepareEvalRun(request) {
      // Recorded first, so that an eval refused below is recorded as failed.
      await recordEvalStarted(db, request);
      let routine: Awaited<ReturnType<RoutineStore['get']>>;
      try {
        routine = await routines.get(request.tenantId, request.routineId, request.version);
      } catch (error) {
        if (!(error instanceof UnknownRoutineError || error instanceof UnknownRoutineVersionError))
          throw error;
        throw ApplicationFailure.create({
          type: 'UnknownRoutine',
          nonRetryable: true,
          message: error.message,
          details: [{ hint: 'swarmflow routine list shows the routines and their versions' }],
        });
      }
      const graph = routine.compiled.processes[routine.compiled.defaultProcessId] as ProcessGraph;
      return runWorkflowInput(routine, graph, { variables: {} });
    },
    async recordEvalCase(record) {
      await recordEvalCase(db, record);
      processMetrics().scores.observe({ source: 'eval', scorer: 'case' }, record.score);
    },
    finishEvalRun: (request) => recordEvalEnded(db, request),
    async replayToolCall(request) {
      await assertSourceRun(request.tenantId, request.sourceRunId);
      return matchingCall(await recordedToolCalls(temporal, request.sourceRunId), request);
    },
    async replayStep({ tenantId, sourceRunId, stepKey }) {
      await assertSourceRun(tenantId, sourceRunId);
      const step = await db
        .selectFrom('run_steps')
        .select('output')
        .where('tenant_id', '=', tenantId)
        .where('run_id', '=', sourceRunId)
        .where('step_key', '=', stepKey)
        .where('status', '=', 'completed')
        .executeTakeFirst();
      return step?.output ?? null;
    },
  } satisfies EvalRunActivities;
}
