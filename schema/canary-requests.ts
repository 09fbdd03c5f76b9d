import { z } from 'zod';
import { CanaryPolicy } from './canary-policy.ts';
import { RoutineId } from './routine.ts';

/** `routine canary <routine> <version>`: release a version to a share of new runs, watched and judged. */
export const StartCanaryRequest = CanaryPolicy.extend({
  routineId: RoutineId,
  version: z.number().int().positive().describe('the candidate or draft version to release'),
});
export type StartCanaryRequest = z.input<typeof StartCanaryRequest>;

/** A canary release started: the workflow that watches it (`canary/<tenant>/<routine>`). */
export interface StartedCanary {
  workflowId: string;
  routineId: string;
  version: number;
  activeVersion: number;
  percent: number;
}
