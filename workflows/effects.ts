import { executeChild, isCancellation, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../activities/index.ts';
import type { ElementOfKind } from '../schema/graph.ts';
import type { Variables } from '../schema/json.ts';
import type { RunOutcome, RunWorkflowInput } from '../schema/run.ts';
import { runSearchAttributes } from '../schema/search-attributes.ts';
import type { StepOutcome } from '../schema/step.ts';
import type { branchWorkflow } from './branch-workflow.ts';
import { rootMessage } from './failures.ts';
import type {
  MultiInstanceChunk,
  MultiInstanceChunkOutcome,
  multiInstanceWorkflow,
} from './multi-instance-workflow.ts';
import { RunIncident } from './navigator/incident.ts';
import type { runWorkflow } from './run-workflow.ts';
import { fromChildFailure } from './runtime/errors.ts';
import type { BranchCall, BranchOutcome, RunScope } from './runtime/run-context.ts';

/** Errors a retry cannot fix: the step fails at once. */
const NON_RETRYABLE = ['ValidationError', 'UnknownTaskType', 'FeelError', 'OutputSchemaError'];

/** Activities that only record or route: short, retried until they succeed. */
export const bookkeeping = proxyActivities<SwarmflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** A step's result variables and, unless it ran before steps were metered, what it used. */
export type StepResult = Omit<StepOutcome, 'usage'> & Partial<Pick<StepOutcome, 'usage'>>;

/** The patch under which steps run as `executeMeteredStep`, their usage coming back with their variables. */
const METERED_STEPS = 'metered-steps';

/** Runs a task's work as an activity; a failure after its retries becomes an incident on the element. */
export async function executeStep(
  scope: RunScope,
  element: { id: string; bpmnType: string; work: ElementOfKind<'workTask'>['work'] },
  stepKey: string,
  variables: Variables,
): Promise<StepResult> {
  const { work } = element;
  const retries = work.kind === 'service' ? work.retries : undefined;
  const timeoutMs = work.kind === 'service' ? work.timeoutMs : undefined;
  const activities = proxyActivities<SwarmflowActivities>({
    startToCloseTimeout: timeoutMs ?? scope.limits.stepTimeoutMs,
    retry: {
      maximumAttempts: (retries ?? scope.limits.stepRetries) + 1,
      nonRetryableErrorTypes: NON_RETRYABLE,
    },
  });
  const request = {
    runId: scope.runId,
    tenantId: scope.routine.tenantId,
    routineId: scope.routine.id,
    stepKey,
    elementId: element.id,
    elementType: element.bpmnType,
    work,
    variables,
  };
  try {
    if (patched(METERED_STEPS)) return await activities.executeMeteredStep(request);
    return { variables: await activities.executeStep(request) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw new RunIncident(element.id, `step failed: ${rootMessage(error)}`);
  }
}

/** Runs one branch of a block-structured fork as a child workflow. */
export async function runBranch(scope: RunScope, call: BranchCall): Promise<BranchOutcome> {
  try {
    return await executeChild<typeof branchWorkflow>('branchWorkflow', {
      workflowId: `${workflowInfo().workflowId}/${call.key}`,
      args: [{ ...scope, branch: call }],
      typedSearchAttributes: runSearchAttributes(scope.routine),
    });
  } catch (error) {
    throw fromChildFailure(error, call.flowId);
  }
}

/** Runs a chunk of a large parallel multi-instance activity as a child workflow; a BPMN error comes back as one. */
export async function runMultiInstanceChunk(
  scope: RunScope,
  chunk: MultiInstanceChunk,
): Promise<MultiInstanceChunkOutcome> {
  try {
    return await executeChild<typeof multiInstanceWorkflow>('multiInstanceWorkflow', {
      workflowId: `${workflowInfo().workflowId}/${chunk.key}`,
      args: [{ ...scope, chunk }],
      typedSearchAttributes: runSearchAttributes(scope.routine),
    });
  } catch (error) {
    throw fromChildFailure(error, chunk.activityId);
  }
}

/** Runs a called process as a child run; its failure surfaces as the child's failure. */
export function runCalledProcess(input: RunWorkflowInput, workflowId: string): Promise<RunOutcome> {
  return executeChild<typeof runWorkflow>('runWorkflow', {
    workflowId,
    args: [input],
    typedSearchAttributes: runSearchAttributes(input.routine),
  });
}
