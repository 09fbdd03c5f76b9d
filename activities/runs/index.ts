import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { RoutineRef, RunOutcome } from '../../schema/run.ts';
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
export function createRunActivities({ db, knowledge }: { db: Kysely<Database>; knowledge?: KnowledgeBase }) {
  return {
    recordRunStarted: (run: RunStart) => recordRunStarted(db, run),
    async recordRunEnded(outcome: RunOutcome) {
      await recordRunEnded(db, outcome);
      // The run's short summary (routine, input keys, outcome) for the knowledge base.
      if (knowledge)
        await indexBestEffort(`the summary of run ${outcome.runId}`, () =>
          knowledge.indexRunSummary(outcome),
        );
    },
    recordRunStatus: (run: RunStatusRecord) => recordRunStatus(db, run),
    resolveCalledProcess: (request: { routine: RoutineRef; processId: string }) =>
      resolveCalledProcess(db, request),
  };
}
