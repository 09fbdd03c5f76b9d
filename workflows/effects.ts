import {
  ApplicationFailure,
  executeChild,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import type { ProcessGraph } from '../schema/graph.ts';
import type { RunLimits } from '../schema/limits.ts';
import type { RoutineRef } from '../schema/run.ts';
import type { branchWorkflow } from './branch-workflow.ts';
import { rootMessage } from './failures.ts';
import { RunIncident } from './navigator/incident.ts';
import type { BranchCall, BranchOutcome, StepCall, WalkerEffects } from './walker.ts';

type Activities = ReturnType<typeof createActivities>;

/** Errors a retry cannot fix: the step fails at once. */
const NON_RETRYABLE = ['ValidationError', 'UnknownTaskType', 'FeelError', 'OutputSchemaError'];

export interface RunScope {
  runId: string;
  routine: RoutineRef;
  graph: ProcessGraph;
  limits: RunLimits;
}

/** Effects backed by Temporal: each step is an activity, each branch of a block fork a child workflow. */
export function temporalEffects(scope: RunScope): WalkerEffects {
  return {
    executeStep: (call) => executeStep(scope, call),
    runBranch: (call) => runBranch(scope, call),
    isCancellation,
  };
}

async function executeStep(scope: RunScope, { element, stepKey, variables }: StepCall) {
  const { work } = element;
  const retries = work.kind === 'service' ? work.retries : undefined;
  const timeoutMs = work.kind === 'service' ? work.timeoutMs : undefined;
  const { executeStep } = proxyActivities<Activities>({
    startToCloseTimeout: timeoutMs ?? scope.limits.stepTimeoutMs,
    retry: {
      maximumAttempts: (retries ?? scope.limits.stepRetries) + 1,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  try {
    return await executeStep({
      runId: scope.runId,
      tenantId: scope.routine.tenantId,
      routineId: scope.routine.id,
      stepKey,
      elementId: element.id,
      elementType: element.bpmnType,
      work,
      variables,
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw new RunIncident(element.id, `step failed: ${rootMessage(error)}`);
  }
}

async function runBranch(scope: RunScope, call: BranchCall): Promise<BranchOutcome> {
  try {
    return await executeChild<typeof branchWorkflow>('branchWorkflow', {
      workflowId: `${workflowInfo().workflowId}/${call.key}`,
      args: [{ ...scope, branch: call }],
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw ApplicationFailure.nonRetryable(rootMessage(error), 'RunIncident');
  }
}
