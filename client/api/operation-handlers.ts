import type { Kysely } from 'kysely';
import { createApiKey, listApiKeys, revokeApiKey } from '../../activities/store/api-keys.ts';
import { AuditLog } from '../../activities/store/audit-log.ts';
import { compileRoutine } from '../../compiler/index.ts';
import type { ApiOperation, OperationInput, OperationResult } from '../../schema/api/operation.ts';
import type { ApiOperationId, ApiOperations, RegisterRoutineBody } from '../../schema/api/operations.ts';
import type { Database } from '../../schema/db/tables.ts';
import {
  type ApiKeyRecord,
  canGrant,
  type Identity,
  parseExpiry,
  RoleNotGrantableError,
  type RoleTable,
} from '../../schema/identity.ts';
import { RoutineDefinition } from '../../schema/routine.ts';
import { parseInput, ValidationError } from '../../schema/validation.ts';
import { UnknownAgentError } from '../errors.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { datasetHandlers } from './dataset-handlers.ts';
import { evalHandlers } from './eval-handlers.ts';
import { feedbackHandlers } from './feedback-handlers.ts';
import { improvementHandlers } from './improvement-handlers.ts';
import { insightsHandlers } from './insights-handlers.ts';
import { knowledgeHandlers } from './knowledge-handlers.ts';
import { routineDiffHandlers } from './routine-diff-handlers.ts';

/** What a handler acts with: the caller, and a client and database bound to the caller's tenant. */
export interface HandlerContext {
  identity: Identity;
  /** The SDK acting for the caller's tenant only (another tenant's ids are unknown to it). */
  client: SwarmflowClient;
  /** The database under the tenant's row-level security. */
  db: Kysely<Database>;
  /** The owner's database, for what precedes or crosses tenants: keys and the audit log. */
  adminDb: Kysely<Database>;
  roles: RoleTable;
  /** Refuses a start that would take the tenant over a quota (QuotaExceededError). */
  checkQuota(kind: 'run' | 'swarm'): Promise<void>;
  /** Answer this status instead of the operation's (200 for a routine registered before). */
  answerStatus(status: 200 | 201 | 202): void;
}

export type ApiHandlers = {
  [K in ApiOperationId]: (
    context: HandlerContext,
    input: OperationInput<ApiOperations[K]>,
  ) => Promise<OperationResult<ApiOperations[K]>>;
};

/** Handlers of a group of operations, kept in its own file and spread into operationHandlers. */
export type OperationHandlers<Ops extends Record<string, ApiOperation>> = {
  [K in keyof Ops]: (
    context: HandlerContext,
    input: OperationInput<Ops[K]>,
  ) => Promise<OperationResult<Ops[K]>>;
};

/** The REST API's operations, each a thin translation to the tenant-bound SDK. */
export const operationHandlers: ApiHandlers = {
  ...datasetHandlers,
  ...insightsHandlers,
  ...evalHandlers,
  ...knowledgeHandlers,
  ...routineDiffHandlers,
  ...improvementHandlers,
  async registerRoutine({ client, answerStatus }, { body, query }) {
    const registered = await client.registerRoutine(await routineDefinition(body), {
      draft: query.draft === 'true',
    });
    if (!registered.created) answerStatus(200);
    return { routineId: registered.id, version: registered.version, created: registered.created };
  },
  async listRoutines({ client }) {
    return { routines: await client.listRoutines() };
  },
  getRoutine: ({ client }, { params, query }) => client.getRoutine(params.routineId, query.version),

  async startRun({ client, checkQuota }, { body }) {
    await checkQuota('run');
    const { routine, ...rest } = body;
    return client.startRun({ routineId: routine, ...rest });
  },
  async listRuns({ client }, { query }) {
    const { routine, ...rest } = query;
    return {
      runs: await client.listRuns({ ...rest, ...(routine === undefined ? {} : { routineId: routine }) }),
    };
  },
  getRun: ({ client }, { params }) => client.getRunState(params.runId),
  async getRunOutcome({ client }, { params, query }) {
    const outcome = await withinWait(
      client,
      () => client.awaitRun(params.runId, { untilParked: query.untilParked }),
      query.waitMs,
    );
    return outcome === undefined ? { done: false } : { done: true, outcome };
  },
  async cancelRun({ client }, { params }) {
    await client.cancelRun(params.runId);
    return { runId: params.runId };
  },
  resumeRun: ({ client }, { params, body }) => client.resumeRun(params.runId, body),
  async resolveIncident({ client }, { params, body }) {
    await client.resolveIncident(params.runId, body);
    return { runId: params.runId };
  },

  async listApprovals({ client }, { query }) {
    return { approvals: await client.listApprovals(query) };
  },
  decideApproval: ({ client, identity }, { params, body }) =>
    client.decideApproval(params.runId, {
      ...body,
      decidedBy: identity.subject,
      deciderRoles: identity.roles,
    }),
  async listTasks({ client }, { query }) {
    return { tasks: await client.listTasks(query) };
  },
  completeTask: ({ client, identity }, { params, body }) =>
    client.completeTask(params.runId, { ...body, completedBy: identity.subject }),

  publishMessage: ({ client }, { body }) => client.publishMessage(body),
  async broadcastSignal({ client }, { body }) {
    return { reached: await client.broadcastSignal(body) };
  },

  async startSwarm({ client, checkQuota }, { body }) {
    await checkQuota('swarm');
    const { goal, ...options } = body;
    return client.swarms.start(goal, options);
  },
  async listSwarms({ client }, { query }) {
    return { swarms: await client.swarms.list(query) };
  },
  getSwarm: ({ client }, { params }) => client.swarms.get(params.swarmId),
  async getSwarmOutcome({ client }, { params, query }) {
    const outcome = await withinWait(
      client,
      () => client.swarms.result(params.swarmId, { untilParked: query.untilParked }),
      query.waitMs,
    );
    return outcome === undefined ? { done: false } : { done: true, outcome };
  },
  async getSwarmTranscript({ client }, { params, query }) {
    return { entries: await client.swarms.transcript(params.swarmId, query) };
  },
  messageSwarm: ({ client }, { params, body }) => client.swarms.message(params.swarmId, body),
  async pauseSwarm({ client }, { params, body }) {
    return { status: await client.swarms.pause(params.swarmId, body.reason) };
  },
  async resumeSwarm({ client }, { params, body }) {
    return { status: await client.swarms.resume(params.swarmId, body) };
  },
  async stopSwarm({ client }, { params, body }) {
    return { status: await client.swarms.stop(params.swarmId, body) };
  },
  updateSwarmSharedState: ({ client }, { params, body }) =>
    client.swarms.updateSharedState(params.swarmId, body),
  decideSwarmApproval: ({ client, identity }, { params, body }) =>
    client.swarms.decideApproval(params.swarmId, {
      ...body,
      decidedBy: identity.subject,
      deciderRoles: identity.roles,
    }),

  async listAgents({ client }) {
    return { agents: await client.agents.list() };
  },
  getAgent: ({ client }, { params }) => client.agents.get(params.agentId),
  registerAgent: ({ client }, { body }) => client.agents.register(body),
  async deleteAgent({ client }, { params }) {
    if (!(await client.agents.delete(params.agentId))) throw new UnknownAgentError(params.agentId, []);
    return { deleted: true };
  },

  async listKeys({ adminDb, identity }) {
    const keys = await listApiKeys(adminDb, { tenantId: identity.tenantId });
    return { keys: keys.map(keySummary) };
  },
  async createKey({ adminDb, identity, roles }, { body }) {
    // keys:manage never escalates: a key gets only a role whose every permission the caller holds.
    if (roles.has(body.role) && !canGrant(identity, body.role, roles)) {
      throw new RoleNotGrantableError(body.role, identity.roles);
    }
    const expiresAt = body.expires === undefined ? undefined : parseExpiryField(body.expires);
    const created = await createApiKey(
      adminDb,
      {
        tenantId: identity.tenantId,
        name: body.name,
        role: body.role,
        expiresAt,
        createdBy: identity.subject,
      },
      roles,
    );
    return { id: created.id, key: created.key };
  },
  async revokeKey({ adminDb, identity }, { params }) {
    const record = await revokeApiKey(adminDb, params.keyId, { tenantId: identity.tenantId });
    return { id: record.id, revoked: true };
  },

  async listAudit({ adminDb, identity }, { query }) {
    const { since, until, ...rest } = query;
    const entries = await new AuditLog(adminDb).list({
      ...rest,
      tenant: identity.tenantId,
      ...(since === undefined ? {} : { since: new Date(since) }),
      ...(until === undefined ? {} : { until: new Date(until) }),
    });
    return { entries };
  },

  ...feedbackHandlers,
};

/** A `POST /v1/routines` body as a routine definition: BPMN XML or definition JSON as text, or the object. */
async function routineDefinition(body: RegisterRoutineBody): Promise<RoutineDefinition> {
  if (!('source' in body)) return parseInput(RoutineDefinition, body, 'routine');
  const text = body.source.trimStart();
  if (text.startsWith('<')) {
    const compiled = await compileRoutine({ kind: 'bpmn', xml: body.source });
    const main = compiled.processes[compiled.defaultProcessId];
    return parseInput(
      RoutineDefinition,
      {
        id: body.id ?? compiled.defaultProcessId,
        name: main?.name ?? compiled.defaultProcessId,
        body: { kind: 'bpmn', xml: body.source },
      },
      'routine',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('routine', [
      `source: neither BPMN XML (it starts with "<") nor JSON (${(error as Error).message})`,
    ]);
  }
  return parseInput(
    RoutineDefinition,
    body.id === undefined ? value : { ...(value as object), id: body.id },
    'routine',
  );
}

function parseExpiryField(text: string): Date {
  try {
    return parseExpiry(text);
  } catch (error) {
    throw new ValidationError('API key', [`expires: ${(error as Error).message}`]);
  }
}

function keySummary(record: ApiKeyRecord) {
  const iso = (date: Date | null) => (date === null ? null : date.toISOString());
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    createdAt: record.createdAt.toISOString(),
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    lastUsedAt: iso(record.lastUsedAt),
    createdBy: record.createdBy,
  };
}

/** Even `waitMs=0` gives an ended run this long to answer its outcome: a round trip or two. */
const minimumWaitMs = 1_000;

/**
 * What `wait` returns if it settles within `ms`, else undefined. Every Temporal call `wait` makes
 * runs under an abort signal that fires at the deadline, so nothing keeps waiting for a caller
 * who has been answered.
 */
async function withinWait<T>(
  client: SwarmflowClient,
  wait: () => Promise<T>,
  ms: number,
): Promise<T | undefined> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(ms, minimumWaitMs));
  const late = new Promise<undefined>((resolve) => {
    deadline.signal.addEventListener('abort', () => resolve(undefined));
  });
  // A wait sleeping between two polls stops at its next call; the caller is answered at once.
  const waiting = client.temporal.connection.withAbortSignal(deadline.signal, wait);
  waiting.catch(() => {});
  try {
    return await Promise.race([waiting, late]);
  } catch (error) {
    if (deadline.signal.aborted) return undefined;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
