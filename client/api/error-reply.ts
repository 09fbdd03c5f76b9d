import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { UnknownApiKeyError, UnknownRoleError } from '../../activities/store/api-keys.ts';
import {
  UnknownDatasetError,
  UnknownDatasetVersionError,
} from '../../activities/store/datasets/dataset-errors.ts';
import {
  DatabaseUnavailableError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
} from '../../activities/store/errors.ts';
import { NoPreviousVersionError } from '../../activities/store/version-errors.ts';
import type { ApiErrorDetails } from '../../schema/api/api-error.ts';
import { PermissionDeniedError, RoleNotGrantableError } from '../../schema/identity.ts';
import { ValidationError } from '../../schema/validation.ts';
import { RateLimitedError, UnauthenticatedError } from '../access-errors.ts';
import { ApprovalNotDecidedError, RunNotResumedError, SwarmUpdateRejectedError } from '../control-errors.ts';
import { UnknownAgentError, UnknownRunError, UnknownSwarmError } from '../errors.ts';
import { NoEvalToCompareError, UnknownEvalError } from '../eval-errors.ts';
import { ProposalNotDecidedError, UnknownProposalError } from '../improvement-errors.ts';
import { QuotaExceededError } from '../quotas/quota-exceeded-error.ts';
import { IncidentNotResolvedError, UserTaskNotOpenError } from '../run-update-errors.ts';
import { TenantMismatchError } from '../tenant-guard.ts';

/** Where the server's modules have always found them. */
export { RateLimitedError, UnauthenticatedError };

type ErrorReply = Omit<ApiErrorDetails, 'requestId'>;

const notFound = [
  UnknownRunError,
  UnknownSwarmError,
  UnknownAgentError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
  UnknownApiKeyError,
  UnknownDatasetError,
  UnknownDatasetVersionError,
  UnknownEvalError,
  NoEvalToCompareError,
  UnknownProposalError,
] as const;

/** Refused by the workflow as things stand (a task not open, a swarm that ended): retrying as is will not help. */
const conflicts = [
  ApprovalNotDecidedError,
  RunNotResumedError,
  SwarmUpdateRejectedError,
  UserTaskNotOpenError,
  IncidentNotResolvedError,
  ProposalNotDecidedError,
  NoPreviousVersionError,
] as const;

/**
 * The status and body an error answers with; anything unforeseen is a 500 whose message hides
 * internals. A 4xx carries the error's own fields too.
 */
export function errorReply(error: unknown): ErrorReply {
  const reply = statusAndBody(error);
  if (reply.status >= 500 || !(error instanceof Error)) return reply;
  const fields = ownFields(error);
  return Object.keys(fields).length > 0 ? { ...reply, fields } : reply;
}

/** What a class's constructor kept (its `readonly` parameters): JSON values only, never the stack or a cause. */
function ownFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'cause' || value instanceof Error) continue;
    if (typeof value === 'function' || typeof value === 'symbol') continue;
    fields[key] = value;
  }
  return fields;
}

function statusAndBody(error: unknown): ErrorReply {
  const base = (status: number, err: Error) => ({ type: err.name, message: err.message, status });
  if (error instanceof UnauthenticatedError) return base(401, error);
  if (error instanceof PermissionDeniedError)
    return { ...base(403, error), permission: error.permission, grantedBy: [...error.grantedBy] };
  if (error instanceof RoleNotGrantableError) return base(403, error);
  if (error instanceof ValidationError) return { ...base(400, error), problems: error.problems };
  if (error instanceof TenantMismatchError) return { ...base(400, error), problems: [error.message] };
  if (error instanceof UnknownRoleError) return { ...base(400, error), problems: [`role: ${error.message}`] };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const problems = error.validation.map((issue) => {
      const where = error.validationContext ?? 'request';
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return `${where}${path ? `.${path}` : ''}: ${issue.message}`;
    });
    return {
      type: 'ValidationError',
      message: `invalid request:\n  - ${problems.join('\n  - ')}`,
      status: 400,
      problems,
    };
  }
  for (const kind of notFound) {
    if (error instanceof kind) {
      const suggestions = 'suggestions' in error ? [...error.suggestions] : undefined;
      return { ...base(404, error), ...(suggestions ? { suggestions } : {}) };
    }
  }
  for (const kind of conflicts) if (error instanceof kind) return base(409, error);
  if (error instanceof QuotaExceededError)
    return { ...base(429, error), quota: error.quota, limit: error.limit, current: error.current };
  if (error instanceof RateLimitedError)
    return { ...base(429, error), limit: error.limit, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof DatabaseUnavailableError)
    return { type: error.name, message: 'the database is unavailable; try again shortly', status: 503 };
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { type: 'BadRequest', message: (error as Error).message, status };
  }
  return { type: 'InternalError', message: 'internal error; the server log has its details', status: 500 };
}
