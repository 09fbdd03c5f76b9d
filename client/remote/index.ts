/**
 * The remote SDK's public surface, the entry of the `@swarmflow/client` package: the client, the
 * interface it shares with the direct SDK, the errors it throws, and the types of what it sends
 * and answers. Import from here rather than from the files behind it.
 *
 * ```ts
 * import { SwarmflowClient, ValidationError } from '@swarmflow/client';
 * ```
 *
 * Every error the server answers is thrown as the same class the direct SDK throws
 * (ValidationError, UnknownRunError, QuotaExceededError, PermissionDeniedError…); the schema
 * types are types only, so importing them adds nothing to a bundle.
 */

export {
  UnknownApiKeyError,
  UnknownRoleError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
} from '../../activities/store/errors.ts';
export type { Agent, AgentInput } from '../../schema/agent.ts';
export type { ApiKeySummary } from '../../schema/api/operations.ts';
export type { ApprovalDecision, PendingApproval } from '../../schema/approvals.ts';
export type { AuditEntry, AuditOutcome } from '../../schema/audit.ts';
export type { LimitReached, ResumeRunRequest } from '../../schema/budget.ts';
export type { Permission, TenantQuotas } from '../../schema/identity.ts';
export { PermissionDeniedError, RoleNotGrantableError } from '../../schema/identity.ts';
export type { Variables } from '../../schema/json.ts';
export type { RunLimits, RunLimitsInput } from '../../schema/limits.ts';
export type { BroadcastSignalRequest, PublishMessageRequest } from '../../schema/messages.ts';
export type { Parking } from '../../schema/outcome-error.ts';
export type {
  RoutineDefinition,
  RoutineDefinitionInput,
  RoutineSummary,
  RoutineVersion,
} from '../../schema/routine.ts';
export type {
  RunOutcome,
  RunState,
  RunStatus,
  RunSummary,
  StartRunRequest,
  TraceEntry,
} from '../../schema/run.ts';
export type { RunFeedback, RunFeedbackInput, RunScoreRecord } from '../../schema/run-score.ts';
export type {
  StartSwarmRequestInput,
  StopSwarmRequestInput,
  Subtask,
  SwarmFilter,
  SwarmMessageRequestInput,
  SwarmOutcome,
  SwarmState,
  SwarmStatus,
  SwarmSummary,
  TranscriptEntry,
  TranscriptPage,
} from '../../schema/swarm.ts';
export type { Usage } from '../../schema/usage.ts';
export type {
  CompleteUserTaskRequest,
  ResolveIncidentRequest,
  UserTaskFilter,
  UserTaskRecord,
} from '../../schema/user-task.ts';
export { ValidationError } from '../../schema/validation.ts';
export { RateLimitedError, UnauthenticatedError } from '../access-errors.ts';
export { ApprovalNotDecidedError, RunNotResumedError, SwarmUpdateRejectedError } from '../control-errors.ts';
export { UnknownAgentError, UnknownRunError, UnknownSwarmError } from '../errors.ts';
export { QuotaExceededError, type QuotaName } from '../quotas/quota-exceeded-error.ts';
export { IncidentNotResolvedError, UserTaskNotOpenError } from '../run-update-errors.ts';
export { requestIdOf } from './error-from-body.ts';
export { runHasEnded, swarmHasEnded } from './progress-changes.ts';
export type { RemoteAuditFilter } from './remote-audit.ts';
export { ApiUnreachableError, RemoteApiError } from './remote-errors.ts';
export type { NewRemoteKey } from './remote-keys.ts';
export type {
  AgentsOperations,
  AwaitOptions,
  RegisteredRoutine,
  RegisterRoutineOptions,
  RunFilter,
  RunsOperations,
  StartedRun,
  StartedSwarm,
  SwarmflowApi,
  SwarmStartOptions,
  SwarmsOperations,
  WatchOptions,
} from './swarmflow-api.ts';
export { type RemoteClientOptions, SwarmflowClient } from './swarmflow-client.ts';
