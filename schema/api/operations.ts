import { z } from 'zod';
import { Agent, AgentId } from '../agent.ts';
import { ApprovalDecision, PendingApproval } from '../approvals.ts';
import { AuditEntry, AuditOutcome } from '../audit.ts';
import { ResumeRunRequest } from '../budget.ts';
import { ApiKeyId, ApiKeyName, RoleName } from '../identity.ts';
import { Variables } from '../json.ts';
import { RunLimits } from '../limits.ts';
import { BroadcastSignalRequest, PublishMessageRequest } from '../messages.ts';
import { RoutineDefinition, RoutineId, RoutineSummary, RoutineVersion } from '../routine.ts';
import { RunId, RunOutcome, RunState, RunStatus, RunSummary } from '../run.ts';
import {
  ResumeSwarmRequest,
  StartSwarmRequest,
  StopSwarmRequest,
  SwarmId,
  SwarmMessageRequest,
  SwarmOutcome,
  SwarmState,
  SwarmStatus,
  SwarmSummary,
  TranscriptEntry,
} from '../swarm.ts';
import { UpdateSharedStateInput } from '../swarm-tools.ts';
import {
  CompleteUserTaskRequest,
  ResolveIncidentRequest,
  UserTaskRecord,
  UserTaskStatus,
} from '../user-task.ts';
import { datasetOperations } from './dataset-operations.ts';
import { evalOperations } from './eval-operations.ts';
import { feedbackOperations } from './feedback-operations.ts';
import { improvementOperations } from './improvement-operations.ts';
import { insightsOperations } from './insights-operations.ts';
import { knowledgeOperations } from './knowledge-operations.ts';
import { defineOperation } from './operation.ts';
import { routineDiffOperations } from './routine-diff-operations.ts';

/**
 * The REST API under `/v1`, one entry per operation. Bodies never carry a tenant: the tenant is the
 * caller's, from their credentials, so the schemas are strict and refuse a `tenantId` field.
 */

const runParams = z.strictObject({ runId: RunId });
const swarmParams = z.strictObject({ swarmId: SwarmId });
const limit = (fallback: string) =>
  z.coerce.number().int().positive().max(1000).optional().describe(fallback);

/** How long a `…/outcome` call waits for the end before answering `{ done: false }`. */
export const maxOutcomeWaitMs = 30_000;
const outcomeQuery = z.strictObject({
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(maxOutcomeWaitMs)
    .default(0)
    .describe(`wait up to this long for the end (at most ${maxOutcomeWaitMs} ms)`),
  untilParked: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('also answer when it parks on an incident, a budget or a person'),
});

/** `POST /v1/routines`: a BPMN model or sequence JSON as text, or a routine definition object. */
export const RegisterRoutineBody = z.union([
  z.strictObject({
    source: z.string().min(1).describe('BPMN 2.0 XML, or a routine definition as JSON text'),
    id: RoutineId.optional().describe("defaults to the BPMN main process id, or the definition's id"),
  }),
  RoutineDefinition.strict(),
]);
export type RegisterRoutineBody = z.input<typeof RegisterRoutineBody>;

export const RegisteredRoutine = z.object({
  routineId: RoutineId,
  version: z.int().positive(),
  created: z.boolean().describe('false: the same content was registered before; its version is returned'),
});

export const StartRunBody = z.strictObject({
  routine: RoutineId,
  input: Variables.default({}),
  version: z.int().positive().optional().describe('defaults to the latest version'),
  processId: z.string().min(1).optional(),
  runId: RunId.optional().describe('defaults to a generated id'),
});
export type StartRunBody = z.input<typeof StartRunBody>;

export const StartSwarmBody = StartSwarmRequest.omit({ tenantId: true });
export type StartSwarmBody = z.input<typeof StartSwarmBody>;

/** Who decides is the caller: the body never names a decider or roles. */
const ApprovalBody = ApprovalDecision.omit({ decidedBy: true, deciderRoles: true }).strict();
const TaskBody = CompleteUserTaskRequest.omit({ completedBy: true }).strict();

/** A key as listed: never its secret. */
export const ApiKeySummary = z.object({
  id: ApiKeyId,
  name: z.string(),
  role: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  createdBy: z.string(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

const outcomeOf = <T extends z.ZodType>(outcome: T) =>
  z.discriminatedUnion('done', [
    z.object({ done: z.literal(true), outcome }),
    z.object({ done: z.literal(false) }),
  ]);

export const apiOperations = {
  ...datasetOperations,
  ...insightsOperations,
  ...routineDiffOperations,
  // ---- routines ----
  registerRoutine: defineOperation({
    method: 'POST',
    path: '/v1/routines',
    family: 'routines',
    permission: 'routines:write',
    summary: 'Register a routine version (the same content again returns its version)',
    body: RegisterRoutineBody,
    query: z.strictObject({
      draft: z
        .enum(['true', 'false'])
        .optional()
        .describe('true: register it as a draft, which runs do not start until it is promoted'),
    }),
    response: RegisteredRoutine,
    status: 201,
    audit: { action: 'routines.register', target: 'routine' },
  }),
  listRoutines: defineOperation({
    method: 'GET',
    path: '/v1/routines',
    family: 'routines',
    permission: 'routines:read',
    summary: "The tenant's routines, latest version of each",
    response: z.object({ routines: z.array(RoutineSummary) }),
    status: 200,
  }),
  getRoutine: defineOperation({
    method: 'GET',
    path: '/v1/routines/:routineId',
    family: 'routines',
    permission: 'routines:read',
    summary: 'A routine version, the latest unless `version` is given',
    params: z.strictObject({ routineId: RoutineId }),
    query: z.strictObject({ version: z.coerce.number().int().positive().optional() }),
    response: RoutineVersion,
    status: 200,
  }),

  // ---- runs ----
  startRun: defineOperation({
    method: 'POST',
    path: '/v1/runs',
    family: 'runs',
    permission: 'runs:start',
    summary: "Start a run of a routine, after checking its input against the routine's input schema",
    body: StartRunBody,
    response: z.object({ runId: RunId, workflowId: z.string() }),
    status: 201,
    audit: { action: 'runs.start', target: 'run' },
  }),
  listRuns: defineOperation({
    method: 'GET',
    path: '/v1/runs',
    family: 'runs',
    permission: 'runs:read',
    summary: "The tenant's runs, newest first",
    query: z.strictObject({
      routine: RoutineId.optional(),
      status: RunStatus.optional(),
      limit: limit('100 when omitted'),
    }),
    response: z.object({ runs: z.array(RunSummary) }),
    status: 200,
  }),
  getRun: defineOperation({
    method: 'GET',
    path: '/v1/runs/:runId',
    family: 'runs',
    permission: 'runs:read',
    summary: "A run's live status, as the SDK's getRunState returns it",
    params: runParams,
    response: RunState,
    status: 200,
  }),
  getRunOutcome: defineOperation({
    method: 'GET',
    path: '/v1/runs/:runId/outcome',
    family: 'runs',
    permission: 'runs:read',
    summary: "A run's outcome once it has ended (or parked, with untilParked); long-polls up to waitMs",
    params: runParams,
    query: outcomeQuery,
    response: outcomeOf(RunOutcome),
    status: 200,
  }),
  cancelRun: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/cancel',
    family: 'runs',
    permission: 'runs:cancel',
    summary: 'Ask a run to cancel',
    params: runParams,
    response: z.object({ runId: RunId }),
    status: 202,
    audit: { action: 'runs.cancel', target: 'run' },
  }),
  resumeRun: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/resume',
    family: 'runs',
    permission: 'runs:control',
    summary: 'Set new budgets on a run paused on one, so it goes on',
    params: runParams,
    body: ResumeRunRequest,
    response: RunLimits,
    status: 200,
    audit: { action: 'runs.resume', target: 'run' },
  }),
  resolveIncident: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/resolve-incident',
    family: 'runs',
    permission: 'runs:control',
    summary: 'Retry the element an incident parked the run on, after setting variables',
    params: runParams,
    body: ResolveIncidentRequest.strict(),
    response: z.object({ runId: RunId }),
    status: 200,
    audit: { action: 'runs.resolve-incident', target: 'run' },
  }),

  // ---- approvals and user tasks ----
  listApprovals: defineOperation({
    method: 'GET',
    path: '/v1/approvals',
    family: 'approvals',
    permission: 'runs:read',
    summary: 'Tool calls waiting for a person: of one run, or of every run of the tenant',
    query: z.strictObject({ runId: RunId.optional() }),
    response: z.object({ approvals: z.array(PendingApproval) }),
    status: 200,
  }),
  decideApproval: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/approvals',
    family: 'approvals',
    permission: 'approvals:decide',
    summary: "Approve or reject a run's parked tool call; the decision records the caller",
    params: runParams,
    body: ApprovalBody,
    response: PendingApproval,
    status: 200,
    audit: { action: 'approvals.decide', target: 'approval' },
  }),
  listTasks: defineOperation({
    method: 'GET',
    path: '/v1/tasks',
    family: 'tasks',
    permission: 'runs:read',
    summary: "The tenant's user tasks, oldest first",
    query: z.strictObject({
      runId: RunId.optional(),
      status: UserTaskStatus.optional(),
      assignee: z.string().min(1).optional(),
      limit: limit('100 when omitted'),
    }),
    response: z.object({ tasks: z.array(UserTaskRecord) }),
    status: 200,
  }),
  completeTask: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/tasks',
    family: 'tasks',
    permission: 'tasks:complete',
    summary: "Complete a run's open user task; the completion records the caller",
    params: runParams,
    body: TaskBody,
    response: z.object({ taskKey: z.string() }),
    status: 200,
    audit: { action: 'tasks.complete', target: 'task' },
  }),

  // ---- messages and signals ----
  publishMessage: defineOperation({
    method: 'POST',
    path: '/v1/messages',
    family: 'messages',
    permission: 'messages:publish',
    summary: 'Publish a BPMN message to the runs waiting on its name and correlation key',
    body: PublishMessageRequest,
    response: z.object({ messageId: z.string() }),
    status: 202,
    audit: { action: 'messages.publish', target: 'message' },
  }),
  broadcastSignal: defineOperation({
    method: 'POST',
    path: '/v1/signals',
    family: 'messages',
    permission: 'messages:publish',
    summary: 'Broadcast a BPMN signal to every run of the tenant waiting for it',
    body: BroadcastSignalRequest,
    response: z.object({ reached: z.int().nonnegative() }),
    status: 202,
    audit: { action: 'signals.broadcast', target: 'signal' },
  }),

  // ---- swarms ----
  startSwarm: defineOperation({
    method: 'POST',
    path: '/v1/swarms',
    family: 'swarms',
    permission: 'swarms:start',
    summary: 'Start a swarm on a goal',
    body: StartSwarmBody,
    response: z.object({ swarmId: SwarmId, workflowId: z.string() }),
    status: 201,
    audit: { action: 'swarms.start', target: 'swarm' },
  }),
  listSwarms: defineOperation({
    method: 'GET',
    path: '/v1/swarms',
    family: 'swarms',
    permission: 'swarms:read',
    summary: "The tenant's swarms, newest first",
    query: z.strictObject({ status: SwarmStatus.optional(), limit: limit('100 when omitted') }),
    response: z.object({ swarms: z.array(SwarmSummary) }),
    status: 200,
  }),
  getSwarm: defineOperation({
    method: 'GET',
    path: '/v1/swarms/:swarmId',
    family: 'swarms',
    permission: 'swarms:read',
    summary: "A swarm's state",
    params: swarmParams,
    response: SwarmState,
    status: 200,
  }),
  getSwarmOutcome: defineOperation({
    method: 'GET',
    path: '/v1/swarms/:swarmId/outcome',
    family: 'swarms',
    permission: 'swarms:read',
    summary: "A swarm's outcome once it has ended (or parked, with untilParked); long-polls up to waitMs",
    params: swarmParams,
    query: outcomeQuery,
    response: outcomeOf(SwarmOutcome),
    status: 200,
  }),
  getSwarmTranscript: defineOperation({
    method: 'GET',
    path: '/v1/swarms/:swarmId/transcript',
    family: 'swarms',
    permission: 'swarms:read',
    summary: "A page of a swarm's transcript",
    params: swarmParams,
    query: z.strictObject({
      afterSeq: z.coerce.number().int().min(-1).optional(),
      limit: limit('200 when omitted'),
    }),
    response: z.object({ entries: z.array(TranscriptEntry) }),
    status: 200,
  }),
  messageSwarm: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/messages',
    family: 'swarms',
    permission: 'swarms:control',
    summary: "Send a message to a swarm's leader, or to one agent",
    params: swarmParams,
    body: SwarmMessageRequest,
    response: z.object({ seq: z.int() }),
    status: 200,
    audit: { action: 'swarms.message', target: 'swarm' },
  }),
  pauseSwarm: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/pause',
    family: 'swarms',
    permission: 'swarms:control',
    summary: 'Pause a swarm',
    params: swarmParams,
    body: z.strictObject({ reason: z.string().min(1).optional() }),
    response: z.object({ status: SwarmStatus }),
    status: 200,
    audit: { action: 'swarms.pause', target: 'swarm' },
  }),
  resumeSwarm: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/resume',
    family: 'swarms',
    permission: 'swarms:control',
    summary: 'Resume a paused swarm, optionally with raised limits',
    params: swarmParams,
    body: ResumeSwarmRequest,
    response: z.object({ status: SwarmStatus }),
    status: 200,
    audit: { action: 'swarms.resume', target: 'swarm' },
  }),
  stopSwarm: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/stop',
    family: 'swarms',
    permission: 'swarms:control',
    summary: 'Stop a swarm',
    params: swarmParams,
    body: StopSwarmRequest,
    response: z.object({ status: SwarmStatus }),
    status: 200,
    audit: { action: 'swarms.stop', target: 'swarm' },
  }),
  updateSwarmSharedState: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/shared-state',
    family: 'swarms',
    permission: 'swarms:control',
    summary: "Change a swarm's goal or subtasks",
    params: swarmParams,
    body: UpdateSharedStateInput,
    response: SwarmState,
    status: 200,
    audit: { action: 'swarms.update', target: 'swarm' },
  }),
  decideSwarmApproval: defineOperation({
    method: 'POST',
    path: '/v1/swarms/:swarmId/approvals',
    family: 'approvals',
    permission: 'approvals:decide',
    summary: "Approve or reject a swarm agent's parked tool call; the decision records the caller",
    params: swarmParams,
    body: ApprovalBody,
    response: PendingApproval,
    status: 200,
    audit: { action: 'approvals.decide', target: 'approval' },
  }),

  // ---- agents ----
  listAgents: defineOperation({
    method: 'GET',
    path: '/v1/agents',
    family: 'agents',
    permission: 'agents:read',
    summary: "The tenant's agent catalog",
    response: z.object({ agents: z.array(Agent) }),
    status: 200,
  }),
  getAgent: defineOperation({
    method: 'GET',
    path: '/v1/agents/:agentId',
    family: 'agents',
    permission: 'agents:read',
    summary: 'An agent',
    params: z.strictObject({ agentId: AgentId }),
    response: Agent,
    status: 200,
  }),
  registerAgent: defineOperation({
    method: 'POST',
    path: '/v1/agents',
    family: 'agents',
    permission: 'agents:write',
    summary: 'Add an agent to the catalog, or replace the one with its id',
    body: Agent,
    response: Agent,
    status: 201,
    audit: { action: 'agents.register', target: 'agent' },
  }),
  deleteAgent: defineOperation({
    method: 'DELETE',
    path: '/v1/agents/:agentId',
    family: 'agents',
    permission: 'agents:write',
    summary: 'Remove an agent from the catalog',
    params: z.strictObject({ agentId: AgentId }),
    response: z.object({ deleted: z.literal(true) }),
    status: 200,
    audit: { action: 'agents.delete', target: 'agent' },
  }),

  // ---- keys ----
  listKeys: defineOperation({
    method: 'GET',
    path: '/v1/keys',
    family: 'keys',
    permission: 'keys:manage',
    summary: "The tenant's API keys, without their secrets",
    response: z.object({ keys: z.array(ApiKeySummary) }),
    status: 200,
  }),
  createKey: defineOperation({
    method: 'POST',
    path: '/v1/keys',
    family: 'keys',
    permission: 'keys:manage',
    summary: 'Create an API key with one role (one the caller holds all of); its secret is shown once',
    body: z.strictObject({
      name: ApiKeyName,
      role: RoleName,
      expires: z.string().min(1).optional().describe('a duration like 90d or 12h, or an ISO date'),
    }),
    response: z.object({ id: ApiKeyId, key: z.string() }),
    status: 201,
    audit: { action: 'keys.create', target: 'key' },
  }),
  revokeKey: defineOperation({
    method: 'DELETE',
    path: '/v1/keys/:keyId',
    family: 'keys',
    permission: 'keys:manage',
    summary: 'Revoke an API key; it fails at once',
    params: z.strictObject({ keyId: ApiKeyId }),
    response: z.object({ id: ApiKeyId, revoked: z.literal(true) }),
    status: 200,
    audit: { action: 'keys.revoke', target: 'key' },
  }),

  // ---- audit ----
  listAudit: defineOperation({
    method: 'GET',
    path: '/v1/audit',
    family: 'audit',
    permission: 'audit:read',
    summary: "The tenant's audit log, oldest first; page with `after`",
    query: z.strictObject({
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      action: z.string().min(1).optional().describe('an action, or every action of a resource: runs.*'),
      actor: z.string().min(1).optional(),
      outcome: AuditOutcome.optional(),
      after: z.coerce.number().int().nonnegative().optional(),
      limit: limit('100 when omitted'),
    }),
    response: z.object({ entries: z.array(AuditEntry) }),
    status: 200,
  }),

  ...feedbackOperations,
  ...evalOperations,
  ...knowledgeOperations,
  ...improvementOperations,
} as const;

export type ApiOperations = typeof apiOperations;
export type ApiOperationId = keyof ApiOperations;
