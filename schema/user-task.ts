import { z } from 'zod';
import { Variables } from './json.ts';

export const UserTaskStatus = z.enum(['open', 'completed', 'cancelled']);

/** Which user tasks to list (`client.listTasks`). */
export const UserTaskFilter = z.object({
  runId: z.string().min(1).optional(),
  status: UserTaskStatus.optional(),
  assignee: z.string().min(1).optional(),
  limit: z.number().int().positive().optional().describe('100 when omitted'),
});
export type UserTaskFilter = z.input<typeof UserTaskFilter>;

/** A user task a run waits on, as the read model lists it. */
export const UserTaskRecord = z.object({
  runId: z.string(),
  taskKey: z.string().describe('unique within the run: element id and instance number'),
  tenantId: z.string(),
  elementId: z.string(),
  name: z.string().nullable(),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  dueDate: z.date().nullable(),
  formKey: z.string().nullable(),
  status: UserTaskStatus,
  variables: Variables.describe('the variables the task was opened with'),
  output: Variables.nullable(),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
  completedBy: z
    .string()
    .nullable()
    .describe('who completed it (an API key or OIDC subject); null from operator-side callers'),
});
export type UserTaskRecord = z.infer<typeof UserTaskRecord>;

/** What a person sends to finish a user task (the `completeUserTask` update's argument). */
export const CompleteUserTaskRequest = z.object({
  elementId: z.string().min(1).describe('the user task element; with several open instances, give taskKey'),
  taskKey: z.string().optional(),
  output: Variables.default({}),
  completedBy: z.string().optional(),
});
export type CompleteUserTaskRequest = z.input<typeof CompleteUserTaskRequest>;

/** What an operator sends to retry a run's incident (the `resolveIncident` update's argument). */
export const ResolveIncidentRequest = z.object({
  variables: Variables.default({}).describe('set before the failed element is retried'),
});
export type ResolveIncidentRequest = z.input<typeof ResolveIncidentRequest>;
