import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { RoutineRef } from '../../schema/run.ts';
import { type RunEnding, scheduleLiveScoring } from '../evaluation/live-scoring.ts';
import { indexBestEffort } from '../knowledge/best-effort.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import {
  type RunStart,
  type RunStatusRecord,
  recordRunEnded,
  recordRunStarted,
  recordRunStatus,
} from '../store/run-read-model.ts';
import { resolveCalledProcess } from './resolve-called-process.ts';

/** Activities that keep the runs read model current and look up called processes. */
export function createRunActivities({
  db,
  temporal,
  taskQueue,
  knowledge,
}: {
  db: Kysely<Database>;
  /** Starts the live scoring of sampled runs. */
  temporal: Client;
  taskQueue: string;
  /** Where production runs' summaries are indexed; none in tests that do not need it. */
  knowledge?: KnowledgeBase;
}) {
  return {
    recordRunStarted: (run: RunStart) => recordRunStarted(db, run),
    /**
     * Records the end, then starts the run's live scoring when its routine version samples it, and
     * indexes a production run's short summary (routine, input keys, outcome) in the knowledge base.
     */
    async recordRunEnded(ending: RunEnding): Promise<void> {
      await recordRunEnded(db, ending);
      await scheduleLiveScoring({ db, temporal, taskQueue }, ending);
      if (knowledge && ending.evalId === undefined)
        await indexBestEffort(`the summary of run ${ending.runId}`, () => knowledge.indexRunSummary(ending));
    },
    recordRunStatus: (run: RunStatusRecord) => recordRunStatus(db, run),
    resolveCalledProcess: (request: { routine: RoutineRef; processId: string }) =>
      resolveCalledProcess(db, request),
  };
}
