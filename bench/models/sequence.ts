import type { RoutineDefinitionInput } from '../../schema/routine.ts';
import { incrementHeaders, STEP_TASK_TYPE } from './step.ts';

/** A sequence routine of `steps` steps, each adding one to `counter`. */
export function sequenceRoutine(id: string, steps: number): RoutineDefinitionInput {
  return {
    id,
    body: {
      kind: 'sequence',
      steps: Array.from({ length: steps }, (_, index) => ({
        id: `s${index + 1}`,
        type: STEP_TASK_TYPE,
        headers: incrementHeaders('counter'),
      })),
    },
  };
}
