import { isCancellation, workflowInfo } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { bookkeeping, runCalledProcess } from '../effects.ts';
import { rootMessage } from '../failures.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { VariableScope } from '../navigator/variable-scope.ts';
import { BpmnError, bpmnErrorCode } from './errors.ts';
import type { RunContext } from './run-context.ts';
import { text } from './triggers.ts';

/**
 * A call activity: the called process (of the same file first, else a routine by id) runs as a
 * child run; variables go down and come back as Zeebe's propagation flags say; a BPMN error the
 * child does not catch is thrown here, where this activity's boundary events may catch it.
 */
export async function callProcess(
  run: RunContext,
  activity: ElementOfKind<'callActivity'>,
  elementScope: VariableScope,
): Promise<Variables> {
  const processId = text(activity.id, activity.processId, elementScope.view());
  const key = run.nextKey(activity.id);
  const called = await bookkeeping.resolveCalledProcess({ routine: run.scope.routine, processId });
  const runId = `${run.scope.runId}.${key.replace(/[^\w.-]/g, '-')}`;
  const variables = activity.propagateAllParentVariables ? elementScope.view() : elementScope.ownVariables();
  try {
    const outcome = await runCalledProcess(
      {
        runId,
        routine: called.routine,
        graph: called.graph,
        limits: called.limits,
        variables,
        calledBy: workflowInfo().workflowId,
      },
      `run/${runId}`,
    );
    return activity.propagateAllChildVariables ? outcome.outputs : {};
  } catch (error) {
    if (isCancellation(error)) throw error;
    const code = bpmnErrorCode(error);
    if (code !== undefined) throw new BpmnError(code, activity.id);
    throw new RunIncident(activity.id, `called process ${processId} failed: ${rootMessage(error)}`);
  }
}
