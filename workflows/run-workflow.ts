import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import type { RunOutcome, RunState, RunStatus, RunWorkflowInput } from '../schema/run.ts';
import { SearchAttributes } from '../schema/search-attributes.ts';
import { RUN_FAILED, runStateQuery } from './definitions.ts';
import { temporalEffects } from './effects.ts';
import { isRunFailure, rootMessage } from './failures.ts';
import { GraphWalker } from './walker.ts';

const readModel = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** One run of a routine: walks its compiled graph from the start event until every token has ended. */
export async function runWorkflow(input: RunWorkflowInput): Promise<RunOutcome> {
  const { runId, graph, limits } = input;
  const walker = new GraphWalker(graph, { ...input.variables }, temporalEffects(input), {
    maxSteps: limits.maxSteps,
    keyPrefix: '',
  });
  let status: RunStatus = 'running';
  let error: string | undefined;
  const outcome = (): RunOutcome => ({
    runId,
    status,
    outputs: walker.variables,
    trace: walker.trace,
    ...(error === undefined ? {} : { error }),
  });
  setHandler(
    runStateQuery,
    (): RunState => ({
      ...outcome(),
      activeElements: walker.activeElements(),
      stepsExecuted: walker.stepsExecuted,
    }),
  );

  await readModel.recordRunStarted({
    runId,
    tenantId: input.routine.tenantId,
    routineId: input.routine.id,
    routineVersion: input.routine.version,
    processId: graph.id,
    workflowId: workflowInfo().workflowId,
    input: input.variables,
  });
  let cancellation: unknown;
  try {
    await walker.walkFrom(graph.startId);
    status = 'completed';
  } catch (caught) {
    if (isCancellation(caught)) {
      walker.terminateActive();
      status = 'cancelled';
      cancellation = caught;
    } else if (isRunFailure(caught)) {
      status = 'failed';
      error = rootMessage(caught);
    } else {
      throw caught;
    }
  }
  const ended = outcome();
  await CancellationScope.nonCancellable(() => readModel.recordRunEnded(ended));
  upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
  if (cancellation !== undefined) throw cancellation;
  if (status === 'failed') {
    throw ApplicationFailure.create({
      type: RUN_FAILED,
      message: error,
      nonRetryable: true,
      details: [ended],
    });
  }
  return ended;
}
