import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { Variables } from '../../schema/json.ts';
import type { RunOutcome } from '../../schema/run.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type { scoreRunWorkflow } from '../../workflows/score-run-workflow.ts';
import { recordRunScores, type ScoreTarget, scoreId } from '../store/run-scores.ts';
import type { ScoredCase } from './contract.ts';
import { isSampledForLiveScoring } from './live-sample.ts';

/**
 * Live scoring of production runs.
 *
 * Where it starts: the activity that records a run's end in the read model starts a separate
 * `scoreRunWorkflow` (id `score/<runId>`) when the run is sampled, and returns. Of the three ways
 * to do it, this one
 * - adds no latency to the run: starting a workflow is one call, and the judges run elsewhere,
 *   where scoring at the run's end as an activity would hold the run's result until they answered;
 * - changes no run workflow's command sequence, where a child with ParentClosePolicy ABANDON would
 *   add a command (and a `patched()` branch) to every run's history;
 * - reads the routine version's evaluation section from the store, where it lives, so nothing of it
 *   goes through the run's history, and the sampling decision is made once, by a pure hash of the
 *   run id (isSampledForLiveScoring), the same on every retry;
 * - is idempotent: a retried activity finds `score/<runId>` started and leaves it (REJECT_DUPLICATE),
 *   and the scores' ids are derived from the run and the scorer, so a retried write changes nothing.
 */

/** How a run ended, with what tells a production run from another: the run workflow's input fields. */
export interface RunEnding extends RunOutcome {
  /** Set on the runs of an eval (they are scored by the eval, never live). */
  evalId?: string;
  /** Set on called processes' runs: their outputs are not their routine's output, so they are not live-scored. */
  calledBy?: string;
}

/** What `scoreRunWorkflow` scores: the run, its routine version, its input and its output. */
export interface LiveScoringRequest extends ScoreTarget {
  input: Variables;
  output: Variables;
}

export interface LiveScoringDependencies {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
}

/** The workflow id of a run's live scoring. */
export const liveScoringWorkflowId = (runId: string) => `score/${runId}`;

/**
 * Starts the live scoring of a run that ended, when it is a completed production run its routine
 * version samples; returns whether it did (or had before).
 */
export async function scheduleLiveScoring(
  { db, temporal, taskQueue }: LiveScoringDependencies,
  ending: RunEnding,
): Promise<boolean> {
  if (ending.status !== 'completed' || ending.evalId !== undefined || ending.calledBy !== undefined)
    return false;
  const run = await db
    .selectFrom('runs')
    .innerJoin('routine_versions', (join) =>
      join
        .onRef('routine_versions.tenant_id', '=', 'runs.tenant_id')
        .onRef('routine_versions.routine_id', '=', 'runs.routine_id')
        .onRef('routine_versions.version', '=', 'runs.routine_version'),
    )
    .select([
      'runs.tenant_id',
      'runs.routine_id',
      'runs.routine_version',
      'runs.input',
      'routine_versions.evaluation',
    ])
    .where('runs.run_id', '=', ending.runId)
    .executeTakeFirst();
  const ratio = run?.evaluation?.liveSample;
  if (!run || ratio === undefined || !isSampledForLiveScoring(ending.runId, ratio)) return false;
  const request: LiveScoringRequest = {
    tenantId: run.tenant_id,
    runId: ending.runId,
    routineId: run.routine_id,
    routineVersion: run.routine_version,
    input: run.input,
    output: ending.outputs,
  };
  try {
    await temporal.workflow.start<typeof scoreRunWorkflow>('scoreRunWorkflow', {
      workflowId: liveScoringWorkflowId(ending.runId),
      taskQueue,
      args: [request],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [{ key: SearchAttributes.tenant, value: run.tenant_id }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return true;
}

/** Records a live scoring's result: one score per scorer (source `live`, given by no one). Returns how many were new. */
export function recordLiveScores(
  db: Kysely<Database>,
  { scored, ...target }: LiveScoringRequest & { scored: ScoredCase },
): Promise<number> {
  return recordRunScores(
    db,
    scored.reasons.map((result) => ({
      id: scoreId('live', target.runId, result.name),
      tenantId: target.tenantId,
      runId: target.runId,
      routineId: target.routineId,
      routineVersion: target.routineVersion,
      source: 'live',
      name: result.name,
      score: result.score,
      reason: result.reason,
      givenBy: null,
      details: { kind: result.kind, weight: result.weight, composite: scored.score, passed: scored.passed },
    })),
  );
}
