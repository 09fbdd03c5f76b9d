import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunOutcome, RunWorkflowInput } from '../schema/run.ts';
import { SearchAttributes } from '../schema/search-attributes.ts';
import { RUN_FAILED } from './definitions.ts';
import { bookkeeping } from './effects.ts';
import { isRunFailure, rootMessage } from './failures.ts';
import { VariableScope } from './navigator/variable-scope.ts';
import { BPMN_ERROR, BpmnError, ContinueAsNewRequested } from './runtime/errors.ts';
import { installRunHandlers } from './runtime/handlers.ts';
import { RunContext } from './runtime/run-context.ts';
import { ScopeInstance } from './runtime/scope-instance.ts';

/** One run of a routine: runs its process scope from the start event until every token has ended. */
export async function runWorkflow(input: RunWorkflowInput): Promise<RunOutcome> {
  // Schedules start runs without a run id (they add the firing time to the workflow id).
  const runId = input.runId ?? workflowInfo().workflowId.replace(/^run\//, '');
  const { graph } = input;
  const root = new VariableScope(undefined, input.variables);
  const run = new RunContext({ ...input, runId }, root, '', input.limits.maxSteps, input.resume);
  let error: string | undefined;
  const outcome = (): RunOutcome => ({
    runId,
    status: run.status,
    outputs: root.ownVariables(),
    trace: run.trace,
    ...(error === undefined ? {} : { error }),
    usage: run.budget.usage,
  });
  installRunHandlers(run, outcome);
  if (!input.resume)
    await bookkeeping.recordRunStarted({
      runId,
      tenantId: input.routine.tenantId,
      routineId: input.routine.id,
      routineVersion: input.routine.version,
      processId: graph.id,
      workflowId: workflowInfo().workflowId,
      input: input.variables,
    });
  let interruption: unknown;
  try {
    const process = new ScopeInstance(run, graph.id, root, {
      eventSubProcesses: graph.eventSubProcesses,
      handsErrorsOut: input.calledBy !== undefined,
      mayContinueAsNew: true,
    });
    const { resume } = input;
    await process.runFrom(resume?.elementId ?? input.startId ?? graph.startId, { viaFlow: resume?.viaFlow });
    run.status = 'completed';
  } catch (caught) {
    if (caught instanceof ContinueAsNewRequested) {
      const next = {
        ...input,
        variables: root.ownVariables(),
        resume: run.resumeAt(caught.elementId, caught.viaFlow),
      };
      await continueAsNew<typeof runWorkflow>(next);
    }
    interruption = caught;
    if (!isCancellation(caught) && !isRunFailure(caught)) throw caught;
    run.status = isCancellation(caught) ? 'cancelled' : 'failed';
    if (run.status === 'failed') error = rootMessage(caught);
  }
  // Let a completion that ended the last user task return to its caller before the run closes.
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
  const ended = outcome();
  // What tells a production run from an eval's or a called process's goes with it: the read model
  // starts live scoring from there. The argument changes, the command sequence does not.
  const { evalId, calledBy } = input;
  const ending = {
    ...ended,
    ...(evalId === undefined ? {} : { evalId }),
    ...(calledBy === undefined ? {} : { calledBy }),
  };
  await CancellationScope.nonCancellable(() => bookkeeping.recordRunEnded(ending));
  upsertSearchAttributes([{ key: SearchAttributes.status, value: run.status }]);
  if (run.status === 'cancelled') throw interruption;
  if (interruption instanceof BpmnError) {
    throw ApplicationFailure.create({
      type: BPMN_ERROR,
      message: error,
      nonRetryable: true,
      details: [{ code: interruption.code }],
    });
  }
  if (run.status === 'failed') {
    throw ApplicationFailure.create({
      type: RUN_FAILED,
      message: error,
      nonRetryable: true,
      details: [ended],
    });
  }
  return ended;
}
