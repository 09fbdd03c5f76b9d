import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { ProcessGraph } from '../../schema/graph.ts';
import { RunLimits } from '../../schema/limits.ts';
import type { RoutineRef } from '../../schema/run.ts';
import { UnknownRoutineError } from '../store/errors.ts';
import { RoutineStore } from '../store/routine-store.ts';

export interface CalledProcess {
  routine: RoutineRef;
  graph: ProcessGraph;
  limits: RunLimits;
}

/**
 * Finds what a call activity calls, as Zeebe resolves `calledElement`: a process of the caller's
 * own routine version first, else the latest version of the routine with that id.
 */
export async function resolveCalledProcess(
  db: Kysely<Database>,
  request: { routine: RoutineRef; processId: string },
): Promise<CalledProcess> {
  const store = new RoutineStore(db);
  const caller = await store.get(request.routine.tenantId, request.routine.id, request.routine.version);
  const sibling = caller.compiled.processes[request.processId];
  if (sibling) return { routine: request.routine, graph: sibling, limits: RunLimits.parse(caller.limits) };
  try {
    const called = await store.get(request.routine.tenantId, request.processId);
    const graph = called.compiled.processes[called.compiled.defaultProcessId] as ProcessGraph;
    return {
      routine: { tenantId: called.tenantId, id: called.id, version: called.version, hash: called.hash },
      graph,
      limits: RunLimits.parse(called.limits),
    };
  } catch (error) {
    if (!(error instanceof UnknownRoutineError)) throw error;
    throw ApplicationFailure.create({
      type: 'UnknownRoutine',
      message: `called element "${request.processId}" is neither a process of routine ${request.routine.id} nor a routine: ${error.message}`,
      nonRetryable: true,
    });
  }
}
