import { describe, expect, it } from 'vitest';
import {
  DatabaseUnavailableError,
  UnknownApiKeyError,
  UnknownRoleError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
} from '../../../activities/store/errors.ts';
import { RateLimitedError, UnauthenticatedError } from '../../../client/access-errors.ts';
import { errorReply } from '../../../client/api/error-reply.ts';
import {
  ApprovalNotDecidedError,
  RunNotResumedError,
  SwarmUpdateRejectedError,
} from '../../../client/control-errors.ts';
import { UnknownAgentError, UnknownRunError, UnknownSwarmError } from '../../../client/errors.ts';
import { QuotaExceededError } from '../../../client/quotas/quota-exceeded-error.ts';
import { errorFromBody, requestIdOf, type SentRequest } from '../../../client/remote/error-from-body.ts';
import { RemoteApiError } from '../../../client/remote/remote-errors.ts';
import { IncidentNotResolvedError, UserTaskNotOpenError } from '../../../client/run-update-errors.ts';
import { PermissionDeniedError, RoleNotGrantableError } from '../../../schema/identity.ts';
import { ValidationError } from '../../../schema/validation.ts';

/** The server's answer to `error` (as error-reply.ts makes it), read back by the remote SDK. */
function roundTrip(error: Error, sent: SentRequest = {}): Error {
  return errorFromBody({ ...errorReply(error), requestId: 'req-42' }, sent);
}

const run = { params: { runId: 'r1' } };
const swarm = { params: { swarmId: 's1' } };

/** [server error, what the request carried, the fields the remote error must have again]. */
const cases: [Error, SentRequest, Record<string, unknown>][] = [
  [
    new ValidationError('run request', ['routineId: bad', 'input: not an object']),
    {},
    {
      subject: 'run request',
      problems: ['routineId: bad', 'input: not an object'],
    },
  ],
  [new UnauthenticatedError(), {}, {}],
  [
    new PermissionDeniedError('runs:start', ['viewer', 'approver'], ['operator', 'admin']),
    {},
    {
      permission: 'runs:start',
      heldRoles: ['viewer', 'approver'],
      grantedBy: ['operator', 'admin'],
    },
  ],
  [new PermissionDeniedError('runs:start', [], ['admin']), {}, { heldRoles: [] }],
  [
    new RoleNotGrantableError('admin', ['operator']),
    { body: { role: 'admin' } },
    {
      role: 'admin',
      heldRoles: ['operator'],
    },
  ],
  [
    new UnknownRoleError('boss', ['viewer', 'admin']),
    { body: { role: 'boss' } },
    {
      role: 'boss',
      knownRoles: ['viewer', 'admin'],
    },
  ],
  [new UnknownRunError('r1'), run, { runId: 'r1' }],
  [new UnknownRunError('r2'), { query: { runId: 'r2' } }, { runId: 'r2' }],
  [new UnknownSwarmError('s1'), swarm, { swarmId: 's1' }],
  [
    new UnknownAgentError('writr', ['writer']),
    { params: { agentId: 'writr' } },
    {
      agentId: 'writr',
      suggestions: ['writer'],
    },
  ],
  [
    new UnknownRoutineError('invoic', ['invoice']),
    { body: { routine: 'invoic' } },
    {
      routineId: 'invoic',
      suggestions: ['invoice'],
    },
  ],
  [
    new UnknownRoutineVersionError('invoice', 7, 3),
    { params: { routineId: 'invoice' } },
    {
      routineId: 'invoice',
      version: 7,
      latestVersion: 3,
    },
  ],
  [
    new UnknownApiKeyError('abcdefghijkl', []),
    { params: { keyId: 'abcdefghijkl' } },
    { keyId: 'abcdefghijkl' },
  ],
  [
    new QuotaExceededError('acme', 'maxConcurrentRuns', 5, 5),
    {},
    {
      tenantId: 'acme',
      quota: 'maxConcurrentRuns',
      limit: 5,
      current: 5,
    },
  ],
  [new RateLimitedError(600, 12), {}, { limit: 600, retryAfterSeconds: 12 }],
  [
    new UserTaskNotOpenError('r1', { elementId: 'review', taskKey: 'review#1' }, 'no such task', []),
    { ...run, body: { elementId: 'review', taskKey: 'review#1' } },
    {
      runId: 'r1',
      task: { elementId: 'review', taskKey: 'review#1' },
      reason: 'no such task',
      openTasks: [],
    },
  ],
  [
    new ApprovalNotDecidedError('r1', 'call-1', 'already decided'),
    { ...run, body: { callId: 'call-1' } },
    {
      runId: 'r1',
      callId: 'call-1',
      reason: 'already decided',
    },
  ],
  [new RunNotResumedError('r1', 'it is not paused'), run, { runId: 'r1', reason: 'it is not paused' }],
  [
    new IncidentNotResolvedError('r1', 'it has no incident'),
    run,
    { runId: 'r1', reason: 'it has no incident' },
  ],
  [
    new SwarmUpdateRejectedError('s1', 'pause', 'the swarm has ended (completed)'),
    swarm,
    {
      swarmId: 's1',
      update: 'pause',
      reason: 'the swarm has ended (completed)',
    },
  ],
];

describe('errorFromBody', () => {
  it.each(cases)('throws %s again as its own class, with its fields and message', (error, sent, fields) => {
    const remote = roundTrip(error, sent);
    expect(remote).toBeInstanceOf(error.constructor);
    expect(remote.name).toBe(error.name);
    expect(remote.message).toBe(error.message);
    expect(remote).toMatchObject(fields);
    expect(requestIdOf(remote)).toBe('req-42');
  });

  it('rebuilds an unknown run from its message when the request did not carry the id', () => {
    expect(roundTrip(new UnknownRunError('r7'))).toMatchObject({ runId: 'r7' });
  });

  it('answers a type the SDK has no class for with a RemoteApiError keeping type, status and message', () => {
    const unavailable = new DatabaseUnavailableError('db:5432', 'start it', { cause: new Error('refused') });
    const remote = roundTrip(unavailable);
    expect(remote).toBeInstanceOf(RemoteApiError);
    expect(remote).toMatchObject({
      type: 'DatabaseUnavailableError',
      status: 503,
      message: 'the database is unavailable; try again shortly',
      requestId: 'req-42',
    });
    expect(roundTrip(new Error('secret internals'))).toMatchObject({ type: 'InternalError', status: 500 });
  });

  it('answers a known type whose answer lacks what its class needs with a RemoteApiError', () => {
    const remote = errorFromBody(
      { type: 'PermissionDeniedError', message: 'denied', status: 403, requestId: 'req-1' },
      {},
    );
    expect(remote).toMatchObject({ name: 'RemoteApiError', type: 'PermissionDeniedError', status: 403 });
  });
});
