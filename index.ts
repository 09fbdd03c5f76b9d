/**
 * `swarmflow`: the engine, for services that embed a worker with their own task types, and for
 * operators' scripts on the server side (direct mode: Temporal and PostgreSQL). Services that only
 * start runs and read results install the light `@swarmflow/client` instead, which speaks to the
 * API server (`swarmflow serve`) and carries none of this.
 */

export { loadDeploymentConfig } from './activities/config/load-deployment-config.ts';
export { connectDatabase, type DatabaseHandle, openDatabase } from './activities/store/database.ts';
export {
  DatabaseUnavailableError,
  UnknownRoutineError,
  UnknownRoutineVersionError,
} from './activities/store/errors.ts';
export { builtinTaskTypes } from './activities/task-types/builtins.ts';
export {
  type TaskContext,
  type TaskHandler,
  type TaskHandlerFactory,
  TaskTypeRegistry,
} from './activities/task-types/registry.ts';
export { createTier3Dependencies, type Tier3Dependencies } from './activities/tier3/index.ts';
// The API server, to mount or start in-process.
export { type ServeOptions, serveApi } from './client/api/serve.ts';
export {
  ApprovalNotDecidedError,
  RunNotResumedError,
  SwarmUpdateRejectedError,
} from './client/control-errors.ts';
export { UnknownAgentError, UnknownRunError, UnknownSwarmError } from './client/errors.ts';
export { createLogger, type Logger, type LoggerOptions } from './client/logging/create-logger.ts';
export { createTemporalLogger, PinoTemporalLogger } from './client/logging/temporal-logger.ts';
export { QuotaExceededError } from './client/quotas/quota-exceeded-error.ts';
export type { SwarmflowApi } from './client/remote/swarmflow-api.ts';
export { IncidentNotResolvedError, UserTaskNotOpenError } from './client/run-update-errors.ts';
// The direct SDK, on Temporal and PostgreSQL.
export { SwarmflowClient, type SwarmflowClientOptions } from './client/sdk.ts';
export { Agent } from './schema/agent.ts';
export { loadConfig, type SwarmflowConfig } from './schema/config.ts';
export { DeploymentConfig } from './schema/deployment-config.ts';
export { PermissionDeniedError } from './schema/identity.ts';
// The contracts: one source of truth for routines, runs, swarms and their outcomes.
export { RoutineDefinition, type RoutineDefinitionInput, RoutineVersion } from './schema/routine.ts';
export { RunOutcome, RunState, RunStatus, StartRunRequest } from './schema/run.ts';
export { StartSwarmRequest, SwarmOutcome, SwarmState, SwarmStatus } from './schema/swarm.ts';
// Errors the SDK throws.
export { ValidationError } from './schema/validation.ts';
export { runWorker } from './workers/run-worker.ts';
// Workers: embed one, with your own task types beside the built-ins.
export {
  createSwarmflowWorker,
  type SwarmflowWorkerOptions,
} from './workers/worker.ts';
