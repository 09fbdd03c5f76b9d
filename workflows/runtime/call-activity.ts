import { isCancellation, workflowInfo } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import type { EvalToolContext } from '../../schema/run.ts';
import { bookkeeping, runCalledProcess } from '../effects.ts';
import { rootMessage } from '../failures.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { VariableScope } from '../navigator/variable-scope.ts';
import { BpmnError, bpmnErrorCode } from './errors.ts';
import { evalToolsOf } from './eval-tools.ts';
import type { RunContext } from './run-context.ts';
import { text } from './triggers.ts';

/**
 * A call activity: the called process (of the same file first, else a routine by id) runs as a
 * child run; variables go down as Zeebe's propagation flag says and come back as its outputs; a
 * BPMN error the child does not catch is thrown here if something catches it, else it is an incident.
 * What the child run used is charged to the caller.
 */
export async function callProcess(
  run: RunContext,
  activity: ElementOfKind<'callActivity'>,
  elementScope: VariableScope,
  catchesError: (code: string) => boolean,
): Promise<Variables> {
  const processId = text(activity.id, activity.processId, elementScope.view());
  const key = run.nextKey(activity.id);
  const runId = `${run.scope.runId}.${key.replace(/[^\w.-]/g, '-')}`;
  const variables = activity.propagateAllParentVariables ? elementScope.view() : elementScope.ownVariables();
  try {
    const called = await bookkeeping.resolveCalledProcess({ routine: run.scope.routine, processId });
    const input = {
      runId,
      ...called,
      variables,
      calledBy: workflowInfo().workflowId,
      ...calledEvalTools(run, runId),
    };
    const outcome = await runCalledProcess(input, `run/${runId}`);
    if (outcome.usage) run.budget.charge(outcome.usage);
    return outcome.outputs;
  } catch (error) {
    if (isCancellation(error)) throw error;
    const code = bpmnErrorCode(error);
    if (code !== undefined && catchesError(code)) throw new BpmnError(code, activity.id);
    const why =
      code === undefined ? rootMessage(error) : `it threw error "${code}", which nothing here catches`;
    throw new RunIncident(activity.id, `called process ${processId} failed: ${why}`);
  }
}

/**
 * A run of an eval case passes its eval tool policy on to the runs it calls; the source of a
 * called run is the source run's run called from the same element instance, named the same way.
 */
function calledEvalTools(run: RunContext, runId: string): { evalTools?: EvalToolContext } {
  const evalTools = evalToolsOf(run.scope);
  if (!evalTools) return {};
  const suffix = runId.slice(run.scope.runId.length);
  const { sourceRunId } = evalTools;
  return {
    evalTools: {
      policy: evalTools.policy,
      ...(sourceRunId === undefined ? {} : { sourceRunId: `${sourceRunId}${suffix}` }),
    },
  };
}
