import { runStepWork } from '../../activities/steps/execute-step.ts';
import type { TaskTypeRegistry } from '../../activities/task-types/registry.ts';
import type { Variables } from '../../schema/json.ts';
import type { StepRequest } from '../../schema/step.ts';

/**
 * The step work alone: the same task-type handler Swarmflow's executeStep runs, without its
 * request validation and read-model write. Tells what those cost.
 */
export function createBareActivities(taskTypes: TaskTypeRegistry) {
  return {
    bareStep(request: StepRequest): Promise<Variables> {
      return runStepWork(request, taskTypes);
    },
  };
}

export type BareActivities = ReturnType<typeof createBareActivities>;
