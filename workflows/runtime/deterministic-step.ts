import { patched } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { executeStep } from '../effects.ts';
import {
  decideEvalToolCall,
  evalServiceTask,
  evalToolsOf,
  HTTP_TASK_TYPE,
  httpTaskIsSafe,
} from './eval-tools.ts';
import type { RunContext } from './run-context.ts';

/** The patch under which the run's budgets are checked before each deterministic step, too. */
const BUDGET_BEFORE_STEPS = 'budget-before-steps';

/**
 * A deterministic step (a FEEL script, a built-in or HTTP task, a job worker type): one activity,
 * once the run's budgets allow it, what it used (wall time, credits) charged to them. Returns the
 * step's variables.
 */
export async function runDeterministicStep(
  run: RunContext,
  element: { id: string; bpmnType: string; work: ElementOfKind<'workTask'>['work'] },
  stepKey: string,
  variables: Variables,
): Promise<Variables> {
  const replayed = await httpTaskInEval(run, element, stepKey);
  if (replayed) return replayed;
  if (patched(BUDGET_BEFORE_STEPS)) await run.budget.allow('turn', element.id);
  const result = await executeStep(run.scope, element, stepKey, variables);
  run.budget.charge(result.usage ?? NO_USAGE);
  return result.variables;
}

/**
 * An HTTP task in a run of an eval case follows the eval tool policy (see eval-tools.ts): the
 * replayed variables, an incident when denied, or undefined when it may run (or is no HTTP task).
 */
async function httpTaskInEval(
  run: RunContext,
  element: { id: string; work: ElementOfKind<'workTask'>['work'] },
  stepKey: string,
): Promise<Variables | undefined> {
  const { work } = element;
  if (work.kind !== 'service' || work.taskType !== HTTP_TASK_TYPE) return undefined;
  const evalTools = evalToolsOf(run.scope);
  if (!evalTools) return undefined;
  const what = `the HTTP ${work.headers.method ?? 'GET'} request of ${element.id}`;
  return evalServiceTask(run, element.id, stepKey, decideEvalToolCall(evalTools, what, httpTaskIsSafe(work)));
}
