import { z } from 'zod';

/**
 * The body of every error the REST API answers. `type` is the SDK error's name, so the remote
 * SDK throws the same typed errors the direct one does; the other fields are that error's own.
 */
export const ApiErrorBody = z.object({
  error: z.object({
    type: z
      .string()
      .describe('e.g. ValidationError, PermissionDeniedError, UnknownRunError, QuotaExceededError'),
    message: z.string(),
    status: z.int().min(400).max(599),
    requestId: z.string(),
    /** ValidationError: one line per bad field, naming it and the fix. */
    problems: z.array(z.string()).optional(),
    /** PermissionDeniedError: the permission checked and the roles that grant it. */
    permission: z.string().optional(),
    grantedBy: z.array(z.string()).optional(),
    /** QuotaExceededError: the quota, its limit and where the tenant stands. */
    quota: z.string().optional(),
    limit: z.number().optional(),
    current: z.number().optional(),
    /** Unknown*Error: ids that look like the one asked for. */
    suggestions: z.array(z.string()).optional(),
    /** 429s: when to try again. */
    retryAfterSeconds: z.number().optional(),
    /**
     * The error's own fields as the SDK's class holds them (runId, reason, heldRoles, version,
     * latestVersion, openTasks...), so the remote SDK rebuilds the same error without reading its text.
     */
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
export type ApiErrorDetails = ApiErrorBody['error'];
