import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { type ElementOfKind, type FlowElement, isMcpWork } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { evaluateInputs, evaluateOutputs } from '../navigator/mappings.ts';
import type { VariableScope } from '../navigator/variable-scope.ts';
import { callProcess } from './call-activity.ts';
import { runDeterministicStep } from './deterministic-step.ts';
import { ActivityInterrupted, BpmnError, RunLimitExceeded } from './errors.ts';
import { runLlmStep } from './llm-step.ts';
import { runMcpTask } from './mcp-task.ts';
import { runMultiInstance } from './multi-instance.ts';
import { matchesCode, type ScopeHost, ScopeInstance } from './scope-instance.ts';
import { awaitTrigger, isCatchTrigger, listen } from './triggers.ts';
import { runUserTask } from './user-tasks.ts';

export type Activity = ElementOfKind<
  'task' | 'workTask' | 'userTask' | 'receiveTask' | 'subProcess' | 'callActivity'
>;
type BoundaryEvent = ElementOfKind<'boundaryEvent'>;

/**
 * Runs an activity where a token reached it: its boundary events listen while it works
 * (an interrupting one ends it with ActivityInterrupted), once or once per multi-instance item.
 */
export async function runActivity(
  scope: ScopeInstance,
  element: FlowElement,
  payload?: Variables,
): Promise<void> {
  const activity = element as Activity;
  await withBoundaries(scope, activity, (host) =>
    activity.multiInstance
      ? runMultiInstance(scope, activity, host)
      : runBody(scope, activity, scope.variables, host, payload),
  );
}

async function withBoundaries(
  scope: ScopeInstance,
  activity: Activity,
  body: (host: ScopeHost) => Promise<void>,
): Promise<void> {
  const boundaries = activity.boundaryEvents.map((id) => scope.element(id) as BoundaryEvent);
  const work = new CancellationScope();
  let interruption: ActivityInterrupted | undefined;
  const fire = (boundary: BoundaryEvent, payload: Variables) => {
    if (!boundary.interrupting) {
      scope.spawn(() => scope.walkFrom(boundary.id, undefined, payload));
      return;
    }
    interruption ??= new ActivityInterrupted(boundary, payload);
    work.cancel();
  };
  const listeners = new CancellationScope();
  for (const boundary of boundaries) {
    const { trigger } = boundary;
    if (!isCatchTrigger(trigger)) continue;
    const key = scope.run.nextKey(boundary.id);
    listeners
      .run(() =>
        listen(
          scope.run,
          boundary.id,
          trigger,
          scope.variables.view(),
          key,
          !boundary.interrupting,
          (payload) => fire(boundary, payload),
        ),
      )
      .catch(ignoreCancellation);
  }
  const host: ScopeHost = {
    outer: scope,
    catchesError: (code) => boundaries.some((b) => matchesCode(b.trigger, 'error', code)),
    escalate: (code, payload) => {
      const boundary = boundaries.find((b) => matchesCode(b.trigger, 'escalation', code));
      if (!boundary) return scope.escalate(code, payload);
      fire(boundary, payload);
      return boundary.interrupting ? 'interrupted' : 'continued';
    },
  };
  try {
    await work.run(() => body(host));
    // An interrupting escalation from the body's last token had nothing left to cancel.
    if (interruption) throw interruption;
  } catch (error) {
    if (error === interruption) throw error;
    if (interruption && isCancellation(error)) throw interruption;
    const caught =
      error instanceof BpmnError && boundaries.find((b) => matchesCode(b.trigger, 'error', error.code));
    if (caught && error instanceof BpmnError) throw new ActivityInterrupted(caught, error.variables);
    throw error;
  } finally {
    listeners.cancel();
  }
}

/** One instance of an activity: input mappings, its work, output mappings (Zeebe scoping). */
export async function runBody(
  scope: ScopeInstance,
  activity: Activity,
  flowScope: VariableScope,
  host: ScopeHost,
  payload?: Variables,
): Promise<void> {
  const locals = evaluateInputs(activity.id, activity.inputs, flowScope.view());
  const elementScope = flowScope.child(locals);
  const result = await work(scope, activity, elementScope, host, payload);
  if (activity.outputs.length === 0) {
    if (activity.kind !== 'callActivity' || activity.propagateAllChildVariables)
      elementScope.propagate(result);
    return;
  }
  flowScope.propagate(evaluateOutputs(activity.id, activity.outputs, { ...elementScope.view(), ...result }));
}

async function work(
  scope: ScopeInstance,
  activity: Activity,
  elementScope: VariableScope,
  host: ScopeHost,
  payload?: Variables,
): Promise<Variables> {
  const { run } = scope;
  switch (activity.kind) {
    case 'task':
      return {};
    case 'workTask': {
      countStep(scope, activity);
      const key = run.nextKey(activity.id);
      const { work } = activity;
      const variables = elementScope.view();
      if (work.kind === 'llm') return runLlmStep(run, { ...activity, work }, key, variables);
      if (isMcpWork(work)) return runMcpTask(run, { ...activity, work }, key, variables);
      return runDeterministicStep(run, activity, key, variables);
    }
    case 'userTask':
      return runUserTask(run, activity, elementScope.view());
    case 'receiveTask':
      return (
        payload ??
        awaitTrigger(run, activity.id, activity.message, elementScope.view(), run.nextKey(activity.id))
      );
    case 'subProcess':
      await new ScopeInstance(run, activity.id, elementScope, {
        host,
        eventSubProcesses: activity.eventSubProcesses,
      }).runFrom(activity.startId);
      return {};
    case 'callActivity':
      return callProcess(
        run,
        activity,
        elementScope,
        (code) => host.catchesError(code) || scope.canCatchError(code),
      );
  }
}

function countStep(scope: ScopeInstance, activity: Activity): void {
  const { run } = scope;
  run.stepsExecuted += 1;
  if (run.stepsExecuted > run.maxSteps) {
    throw new RunLimitExceeded(`${activity.id}: the run reached its limit of ${run.maxSteps} steps`);
  }
}

function ignoreCancellation(error: unknown): void {
  if (!isCancellation(error)) throw error;
}
