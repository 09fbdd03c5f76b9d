import {
  UnknownDatasetError,
  UnknownDatasetVersionError,
} from '../../activities/store/datasets/dataset-errors.ts';
import {
  UnknownApiKeyError,
  UnknownRoleError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
} from '../../activities/store/errors.ts';
import type { ApiErrorDetails } from '../../schema/api/api-error.ts';
import {
  type Permission,
  PermissionDeniedError,
  RoleNotGrantableError,
  TenantQuotas,
} from '../../schema/identity.ts';
import { UserTaskRecord } from '../../schema/user-task.ts';
import { ValidationError } from '../../schema/validation.ts';
import { RateLimitedError, UnauthenticatedError } from '../access-errors.ts';
import { ApprovalNotDecidedError, RunNotResumedError, SwarmUpdateRejectedError } from '../control-errors.ts';
import { UnknownAgentError, UnknownRunError, UnknownSwarmError } from '../errors.ts';
import { NoEvalToCompareError, UnknownEvalError } from '../eval-errors.ts';
import { ProposalNotDecidedError, UnknownProposalError } from '../improvement-errors.ts';
import { QuotaExceededError, type QuotaName } from '../quotas/quota-exceeded-error.ts';
import { IncidentNotResolvedError, UserTaskNotOpenError } from '../run-update-errors.ts';
import { RemoteApiError } from './remote-errors.ts';
import { fromWire } from './wire-values.ts';

/** What was sent: the values an error's constructor may need that its answer does not repeat. */
export interface SentRequest {
  params?: Record<string, unknown> | undefined;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}

type Rebuild = (details: ApiErrorDetails, sent: SentRequest) => Error | undefined;

/**
 * How each error type the server names is made again as the SDK's class: from the answer's
 * fields, the ids the request carried, and (for a reason or a role list the answer has only in
 * its text) the message the same class wrote on the server.
 */
const rebuilders: Record<string, Rebuild> = {
  ValidationError: (details) =>
    new ValidationError(
      text(details, 'subject') ?? match(details.message, /^invalid (.+?):\n/s) ?? 'request',
      details.problems ?? [details.message],
    ),
  UnauthenticatedError: () => new UnauthenticatedError(),
  PermissionDeniedError: (details) => {
    if (details.permission === undefined) return undefined;
    const held =
      strings(details, 'heldRoles') ??
      match(details.message, /the caller's roles (.+?) do not grant it/)?.split(', ');
    return new PermissionDeniedError(details.permission as Permission, held ?? [], details.grantedBy ?? []);
  },
  RoleNotGrantableError: (details, sent) => {
    const role = sentValue(sent, 'role') ?? match(details.message, /with role (\S+):/);
    if (role === undefined) return undefined;
    const text = match(details.message, /the caller's roles \((.*?)\) do not/);
    const held =
      strings(details, 'heldRoles') ?? (text === undefined || text === 'none' ? [] : text.split(', '));
    return new RoleNotGrantableError(role, held);
  },
  UnknownRoleError: (details, sent) => {
    const role = sentValue(sent, 'role') ?? match(details.message, /unknown role "(.+?)"/);
    if (role === undefined) return undefined;
    const known =
      strings(details, 'knownRoles') ?? (match(details.message, /the roles are (.*)$/s) ?? '').split(', ');
    return new UnknownRoleError(role, known);
  },
  UnknownRunError: (details, sent) =>
    withId(
      sentValue(sent, 'runId') ?? match(details.message, /^no run "(.+?)"/),
      (id) => new UnknownRunError(id),
    ),
  UnknownSwarmError: (details, sent) =>
    withId(
      sentValue(sent, 'swarmId') ?? match(details.message, /^no swarm "(.+?)"/),
      (id) => new UnknownSwarmError(id),
    ),
  UnknownAgentError: (details, sent) =>
    withId(
      sentValue(sent, 'agentId') ?? match(details.message, /^no agent "(.+?)"/),
      (id) => new UnknownAgentError(id, details.suggestions ?? []),
    ),
  UnknownRoutineError: (details, sent) =>
    withId(
      sentValue(sent, 'routineId', 'routine') ?? match(details.message, /^no routine "(.+?)"/),
      (id) => new UnknownRoutineError(id, details.suggestions ?? []),
    ),
  UnknownRoutineVersionError: (details, sent) => {
    const id = sentValue(sent, 'routineId', 'routine') ?? match(details.message, /^routine "(.+?)"/);
    const version = Number(details.fields?.version ?? match(details.message, /has no version (\d+)/));
    const latest = Number(
      details.fields?.latestVersion ?? match(details.message, /its versions are 1 to (\d+)/),
    );
    if (id === undefined || Number.isNaN(version) || Number.isNaN(latest)) return undefined;
    return new UnknownRoutineVersionError(id, version, latest);
  },
  UnknownDatasetError: (details, sent) =>
    withId(
      sentValue(sent, 'datasetId', 'name') ?? match(details.message, /^no dataset "(.+?)"/),
      (id) => new UnknownDatasetError(id, details.suggestions ?? []),
    ),
  UnknownDatasetVersionError: (details, sent) => {
    const id = sentValue(sent, 'datasetId') ?? match(details.message, /^dataset "(.+?)"/);
    const version = Number(details.fields?.version ?? match(details.message, /has no version (\d+)/));
    const latest = Number(
      details.fields?.latestVersion ?? match(details.message, /its versions are 1 to (\d+)/),
    );
    if (id === undefined || Number.isNaN(version) || Number.isNaN(latest)) return undefined;
    return new UnknownDatasetVersionError(id, version, latest);
  },
  UnknownEvalError: (details, sent) =>
    withId(
      sentValue(sent, 'evalId') ?? match(details.message, /^no eval "(.+?)"/),
      (id) => new UnknownEvalError(id),
    ),
  NoEvalToCompareError: (details) => {
    const found = /^routine (\S+) version (\d+) has no completed eval(?: on dataset (\S+?))?:/.exec(
      details.message,
    );
    if (!found) return undefined;
    return new NoEvalToCompareError(found[1] as string, Number(found[2]), found[3]);
  },
  UnknownApiKeyError: (details, sent) =>
    withId(
      sentValue(sent, 'keyId') ?? match(details.message, /^no API key "(.+?)"/),
      (id) => new UnknownApiKeyError(id, details.suggestions ?? []),
    ),
  QuotaExceededError: (details) => {
    const tenant = text(details, 'tenantId') ?? match(details.message, /tenant "?([^"\s;,]+)/);
    const quota = details.quota;
    if (tenant === undefined || quota === undefined || !(quota in TenantQuotas.shape)) return undefined;
    return new QuotaExceededError(tenant, quota as QuotaName, details.limit ?? 0, details.current ?? 0);
  },
  RateLimitedError: (details) => new RateLimitedError(details.limit ?? 0, details.retryAfterSeconds ?? 0),
  UserTaskNotOpenError: (details, sent) =>
    withId(sentValue(sent, 'runId'), (runId) => {
      const body = (sent.body ?? {}) as { elementId?: string; taskKey?: string };
      const reason =
        text(details, 'reason') ??
        match(details.message, /cannot complete user task .*?: (.*); (?:it has no|its) open user tasks/s) ??
        details.message;
      const task = {
        elementId: body.elementId ?? '',
        ...(body.taskKey === undefined ? {} : { taskKey: body.taskKey }),
      };
      const openTasks = Array.isArray(details.fields?.openTasks) ? (details.fields.openTasks as never[]) : [];
      return new UserTaskNotOpenError(runId, task, reason, openTasks.map(openTaskFromWire));
    }),
  UnknownProposalError: (details, sent) =>
    withId(
      sentValue(sent, 'proposalId') ?? match(details.message, /^no proposal or cycle "(.+?)"/),
      (id) => new UnknownProposalError(id),
    ),
  ProposalNotDecidedError: (details) => {
    const found = /^proposal (\S+) was not decided: (.*)$/s.exec(details.message);
    return found ? new ProposalNotDecidedError(found[1] as string, found[2] as string) : undefined;
  },
  ApprovalNotDecidedError: (details, sent) =>
    withId(sentValue(sent, 'runId'), (runId) => {
      const callId = sentValue(sent, 'callId') ?? text(details, 'callId') ?? '';
      const reason =
        text(details, 'reason') ??
        match(details.message, /cannot decide tool call .+?: (.*)$/s) ??
        details.message;
      return new ApprovalNotDecidedError(runId, callId, reason);
    }),
  RunNotResumedError: (details, sent) =>
    withId(
      sentValue(sent, 'runId'),
      (runId) =>
        new RunNotResumedError(
          runId,
          text(details, 'reason') ?? match(details.message, /cannot resume: (.*)$/s) ?? details.message,
        ),
    ),
  IncidentNotResolvedError: (details, sent) =>
    withId(
      sentValue(sent, 'runId'),
      (runId) =>
        new IncidentNotResolvedError(
          runId,
          text(details, 'reason') ??
            match(details.message, /cannot resolve its incident: (.*)$/s) ??
            details.message,
        ),
    ),
  SwarmUpdateRejectedError: (details, sent) =>
    withId(sentValue(sent, 'swarmId'), (swarmId) => {
      const [, update, reason] = /refused to (.+?): (.*)$/s.exec(details.message) ?? [];
      return new SwarmUpdateRejectedError(
        swarmId,
        text(details, 'update') ?? update ?? 'update',
        text(details, 'reason') ?? reason ?? details.message,
      );
    }),
};

/**
 * The error an API error answer stands for: the same class the direct SDK throws, with the
 * server's message kept word for word and its request id (see `requestIdOf`); a RemoteApiError
 * when the SDK has no class for the type or the answer lacks what the class needs.
 */
export function errorFromBody(details: ApiErrorDetails, sent: SentRequest): Error {
  const error =
    rebuilders[details.type]?.(details, sent) ??
    new RemoteApiError(details.type, details.status, details.message, details.requestId);
  error.message = details.message;
  Object.defineProperty(error, requestIdKey, { value: details.requestId, enumerable: false });
  return error;
}

const requestIdKey = Symbol.for('swarmflow.requestId');

/** The id of the API request an error answered, as the server's log and audit trail name it. */
export function requestIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const id = (error as Record<symbol, unknown>)[requestIdKey];
  return typeof id === 'string' ? id : undefined;
}

/** The first of `names` the request carried as a string: in its path, its query or its body. */
function sentValue(sent: SentRequest, ...names: string[]): string | undefined {
  for (const source of [sent.params, sent.query, sent.body]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const name of names) {
      const value = (source as Record<string, unknown>)[name];
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}

function withId(id: string | undefined, make: (id: string) => Error): Error | undefined {
  return id === undefined ? undefined : make(id);
}

function match(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[1];
}

/** A string field the error body carried. */
function text(details: ApiErrorDetails, name: string): string | undefined {
  const value = details.fields?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A list of strings the error body carried. */
function strings(details: ApiErrorDetails, name: string): string[] | undefined {
  const value = details.fields?.[name];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** An open task as the error body carried it, its dates made Dates again. */
function openTaskFromWire(task: unknown): UserTaskRecord {
  return fromWire(UserTaskRecord, task) as UserTaskRecord;
}
