import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { RoutineRef, RunOutcome } from '../../schema/run.ts';
import {
  type RunStart,
  type RunStatusRecord,
  recordRunEnded,
  recordRunStarted,
  recordRunStatus,
} from '../store/run-read-model.ts';
import { resolveCalledProcess } from './resolve-called-process.ts';

/** Activities that keep the runs read model current and look up called processes. */
export function createRunActivities({ db }: { db: Kysely<Database> }) {
  return {
    recordRunStarted: (run: RunStart) => recordRunStarted(db, run),
    recordRunEnded: (outcome: RunOutcome) => recordRunEnded(db, outcome),
    recordRunStatus: (run: RunStatusRecord) => recordRunStatus(db, run),
    resolveCalledProcess: (request: { routine: RoutineRef; processId: string }) =>
      resolveCalledProcess(db, request),
  };
}
