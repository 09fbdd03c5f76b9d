import { patched } from '@temporalio/workflow';
import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { executeStep } from '../effects.ts';
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
  if (patched(BUDGET_BEFORE_STEPS)) await run.budget.allow('turn', element.id);
  const result = await executeStep(run.scope, element, stepKey, variables);
  run.budget.charge(result.usage ?? NO_USAGE);
  return result.variables;
}
