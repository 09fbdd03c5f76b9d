import type { ElementOfKind } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { executeStep } from '../effects.ts';
import type { RunContext } from './run-context.ts';

/**
 * A deterministic step (a FEEL script, a built-in or HTTP task, a job worker type): one activity,
 * what it used (wall time, credits) charged to the run's budget. Returns the step's variables.
 */
export async function runDeterministicStep(
  run: RunContext,
  element: { id: string; bpmnType: string; work: ElementOfKind<'workTask'>['work'] },
  stepKey: string,
  variables: Variables,
): Promise<Variables> {
  const result = await executeStep(run.scope, element, stepKey, variables);
  run.budget.charge(result.usage ?? NO_USAGE);
  return result.variables;
}
