import { z } from 'zod';
import { StepWork } from './graph.ts';
import { Variables } from './json.ts';
import { Usage } from './usage.ts';

/** The input of the executeStep activity: one task of one run, with the variables it may see. */
export const StepRequest = z.object({
  runId: z.string(),
  tenantId: z.string(),
  routineId: z.string(),
  stepKey: z.string().describe('unique within the run; keys the read model row'),
  elementId: z.string(),
  elementType: z.string(),
  work: StepWork,
  variables: Variables,
});
export type StepRequest = z.infer<typeof StepRequest>;

/** What a deterministic step gives back: its result variables and what it used, metered. */
export const StepOutcome = z.object({ variables: Variables, usage: Usage });
export type StepOutcome = z.infer<typeof StepOutcome>;
