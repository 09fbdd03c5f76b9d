import { z } from 'zod';
import { Variables } from '../../schema/json.ts';

/** What a run records when a token reaches a user task (the `recordUserTaskOpened` argument). */
export const OpenedUserTask = z.object({
  runId: z.string().min(1),
  taskKey: z.string().min(1).describe('unique within the run: element id and instance number'),
  tenantId: z.string().min(1),
  elementId: z.string().min(1),
  name: z.string().nullable().default(null),
  assignee: z.string().nullable().default(null),
  candidateGroups: z.array(z.string()).default([]),
  dueDate: z.iso.datetime({ offset: true }).nullable().default(null).describe('ISO 8601 date-time'),
  formKey: z.string().nullable().default(null),
  variables: Variables.default({}),
});
export type OpenedUserTask = z.input<typeof OpenedUserTask>;

/** What a run records when a user task ends (the `recordUserTaskClosed` argument). */
export const ClosedUserTask = z.object({
  runId: z.string().min(1),
  taskKey: z.string().min(1),
  status: z.enum(['completed', 'cancelled']),
  output: Variables.nullable().default(null),
  completedBy: z
    .string()
    .min(1)
    .optional()
    .describe("the completer's identity, as the API server authenticated it"),
});
export type ClosedUserTask = z.input<typeof ClosedUserTask>;
