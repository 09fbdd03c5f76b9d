import type { PendingApproval } from '../../schema/approvals.ts';
import { ApprovalDecision } from '../../schema/approvals.ts';
import { ResumeRunRequest } from '../../schema/budget.ts';
import type { InsightsReport } from '../../schema/insights.ts';
import type { RunLimits } from '../../schema/limits.ts';
import { BroadcastSignalRequest, PublishMessageRequest } from '../../schema/messages.ts';
import {
  RoutineDefinition,
  type RoutineDefinitionInput,
  type RoutineSummary,
  type RoutineVersion,
} from '../../schema/routine.ts';
import type { RoutineDiff } from '../../schema/routine-diff.ts';
import { type RunOutcome, type RunState, type RunSummary, StartRunRequest } from '../../schema/run.ts';
import {
  CompleteUserTaskRequest,
  ResolveIncidentRequest,
  UserTaskFilter,
  type UserTaskRecord,
} from '../../schema/user-task.ts';
import { parseInput } from '../../schema/validation.ts';
import { ApiTransport, type RemoteClientOptions } from './api-transport.ts';
import { awaitOutcome } from './await-outcome.ts';
import { runProgress } from './progress-changes.ts';
import { refuseTenant } from './refuse-tenant.ts';
import { RemoteAgents } from './remote-agents.ts';
import { RemoteAudit } from './remote-audit.ts';
import { RemoteDatasets } from './remote-datasets.ts';
import { RemoteEvals } from './remote-evals.ts';
import { RemoteImprovement } from './remote-improvement.ts';
import { RemoteKeys } from './remote-keys.ts';
import { RemoteKnowledge } from './remote-knowledge.ts';
import { RemoteRuns } from './remote-runs.ts';
import { RemoteSwarms } from './remote-swarms.ts';
import type {
  AwaitOptions,
  InsightsRequest,
  RegisteredRoutine,
  RegisterRoutineOptions,
  RunFilter,
  StartedRun,
  SwarmflowApi,
  WatchOptions,
} from './swarmflow-api.ts';
import { watchStates } from './watch-states.ts';

export type { RemoteClientOptions };

/**
 * The remote SDK: the same typed methods as the direct one (`client/sdk.ts`), over the API
 * server's REST API with an API key, for services that reach Swarmflow over the network. It acts
 * for the key's tenant only, within the key's role. Bad input fails here, before the network,
 * with the same ValidationError the direct SDK throws; every error the server answers is thrown
 * as the same class the direct SDK throws (see `errorFromBody`).
 *
 * Every method may also throw ApiUnreachableError (the server cannot be reached or did not answer
 * in time), UnauthenticatedError (the key is unknown, revoked or expired), PermissionDeniedError
 * (the key's role lacks the call's permission), RateLimitedError, and RemoteApiError for a server
 * error the SDK has no class for.
 *
 * ```ts
 * const client = new SwarmflowClient({ url: 'https://swarmflow.example.com', apiKey: process.env.SWARMFLOW_API_KEY });
 * const { runId } = await client.startRun({ routineId: 'invoice', input: { amount: 120 } });
 * for await (const state of client.watchRun(runId)) console.log(state.status, state.activeElements);
 * const outcome = await client.awaitRun(runId);
 * ```
 */
export class SwarmflowClient implements SwarmflowApi {
  private readonly transport: ApiTransport;
  /** Swarms: start, steer, stop and read them. */
  readonly swarms: RemoteSwarms;
  /** The tenant's agent catalog, which swarms assemble their teams from. */
  readonly agents: RemoteAgents;
  /** Feedback on runs and the scores they got. */
  readonly runs: RemoteRuns;
  /** Eval runs: run a routine version over cases, read stored evals, compare versions. */
  readonly evals: RemoteEvals;
  /** Autonomous improvement: cycles, proposals, promote and rollback. */
  readonly improvement: RemoteImprovement;
  readonly knowledge: RemoteKnowledge;
  /** The tenant's API keys (needs `keys:manage`). */
  readonly keys: RemoteKeys;
  /** The tenant's audit log (needs `audit:read`). */
  readonly audit: RemoteAudit;
  /** The tenant's datasets: versioned eval cases (reads need `routines:read`, changes `routines:write`). */
  readonly datasets: RemoteDatasets;

  /** @throws ValidationError when `url` is not an http(s) URL or `apiKey` is empty (the key is never shown). */
  constructor(options: RemoteClientOptions) {
    this.transport = new ApiTransport(options);
    this.swarms = new RemoteSwarms(this.transport);
    this.agents = new RemoteAgents(this.transport);
    this.runs = new RemoteRuns(this.transport);
    this.evals = new RemoteEvals(this.transport);
    this.improvement = new RemoteImprovement(this.transport);
    this.knowledge = new RemoteKnowledge(this.transport);
    this.keys = new RemoteKeys(this.transport);
    this.audit = new RemoteAudit(this.transport);
    this.datasets = new RemoteDatasets(this.transport);
  }

  /** The API server's base URL. */
  get url(): string {
    return this.transport.url;
  }

  /**
   * Compiles and stores a routine; the same content again returns the existing version.
   * @throws ValidationError for a bad definition (here) or a model the compiler refuses (the server).
   */
  async registerRoutine(
    definition: RoutineDefinitionInput,
    options: RegisterRoutineOptions = {},
  ): Promise<RegisteredRoutine> {
    const parsed = parseInput(RoutineDefinition, definition, 'routine definition');
    const registered = await this.transport.call('registerRoutine', {
      body: parsed,
      query: options.draft ? { draft: 'true' } : {},
    });
    return { id: registered.routineId, version: registered.version, created: registered.created };
  }

  /**
   * A routine version, the latest unless `version` is given.
   * @throws UnknownRoutineError, or UnknownRoutineVersionError for a version it does not have.
   */
  async getRoutine(id: string, version?: number): Promise<RoutineVersion> {
    return this.transport.call('getRoutine', { params: { routineId: id }, query: { version } });
  }

  /** The tenant's routines, the latest version of each. */
  async listRoutines(): Promise<RoutineSummary[]> {
    return (await this.transport.call('listRoutines')).routines;
  }

  /**
   * What changed from version `from` to version `to` of a routine (see SwarmflowApi.routineDiff).
   * @throws UnknownRoutineError / UnknownRoutineVersionError when either version does not exist.
   */
  routineDiff(id: string, from: number, to: number): Promise<RoutineDiff> {
    return this.transport.call('getRoutineDiff', { params: { routineId: id }, query: { from, to } });
  }
  /**
   * What the routine's recorded runs tell (failure clusters, cost and latency outliers, LLM steps
   * that could be deterministic, routines to combine), from runs started since `since` (default all).
   * An unknown routine gives an empty report.
   */
  insights(routineId: string, options: InsightsRequest = {}): Promise<InsightsReport> {
    return this.transport.call('getRoutineInsights', {
      params: { routineId },
      query: options.since ? { since: options.since.toISOString() } : {},
    });
  }

  /**
   * Starts a run after checking its input against the routine's input schema.
   * @throws ValidationError for a bad request, a `tenantId` (the key's tenant is the run's), or
   *   input the routine's schema refuses.
   * @throws UnknownRoutineError when the tenant has no such routine.
   * @throws QuotaExceededError when the tenant runs as many runs as its quota allows.
   */
  async startRun(request: StartRunRequest): Promise<StartedRun> {
    const { tenantId, routineId, ...rest } = parseInput(StartRunRequest, request, 'run request');
    refuseTenant({ tenantId }, 'run request');
    return this.transport.call('startRun', { body: { routine: routineId, ...rest } });
  }

  /**
   * Live state of a run (a worker must be running).
   * @throws UnknownRunError when the tenant has no such run.
   */
  async getRunState(runId: string): Promise<RunState> {
    return this.transport.call('getRun', { params: { runId } });
  }

  /**
   * Waits for a run to end and returns its outcome, whatever the status; never throws for a
   * failed run. With `untilParked`, also returns when the run parks on an incident or a budget.
   * Long-polls the server, 30 s a request, for as long as it takes.
   * @throws UnknownRunError when the tenant has no such run.
   */
  async awaitRun(runId: string, options: AwaitOptions = {}): Promise<RunOutcome> {
    return awaitOutcome(
      (query) => this.transport.call('getRunOutcome', { params: { runId }, query }),
      options,
    );
  }

  /**
   * The run's state now and each time it changes (status, where it waits, steps, approvals,
   * usage…), reading it every `pollIntervalMs` (1 s by default); ends after the state that shows
   * the run ended, or with `untilParked` parked. Breaking out of the loop stops the polling.
   *
   * ```ts
   * for await (const state of client.watchRun(runId)) console.log(state.status, state.activeElements);
   * ```
   * @throws UnknownRunError when the tenant has no such run (from the first `next()`).
   */
  watchRun(runId: string, options: WatchOptions = {}): AsyncGenerator<RunState, void, undefined> {
    return watchStates(() => this.getRunState(runId), runProgress, options);
  }

  /**
   * Asks a run to cancel: running steps stop, the run ends as cancelled.
   * @throws UnknownRunError when the tenant has no such run.
   */
  async cancelRun(runId: string): Promise<void> {
    await this.transport.call('cancelRun', { params: { runId } });
  }

  /** The tenant's runs, newest first. */
  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const { routineId, ...rest } = filter;
    const query = { ...rest, ...(routineId === undefined ? {} : { routine: routineId }) };
    return (await this.transport.call('listRuns', { query })).runs;
  }

  /**
   * Publishes a BPMN message to the runs waiting on its name and key; late runs get it until its TTL ends.
   * @throws ValidationError for a bad message.
   */
  async publishMessage(request: PublishMessageRequest): Promise<{ messageId: string }> {
    const body = parseInput(PublishMessageRequest, request, 'message');
    return this.transport.call('publishMessage', { body });
  }

  /**
   * Sends a BPMN signal to every run of the tenant waiting for it; returns how many it reached.
   * @throws ValidationError for a bad signal.
   */
  async broadcastSignal(request: BroadcastSignalRequest): Promise<number> {
    const body = parseInput(BroadcastSignalRequest, request, 'signal');
    return (await this.transport.call('broadcastSignal', { body })).reached;
  }

  /**
   * The tenant's user tasks, oldest first.
   * @throws ValidationError for a bad filter.
   */
  async listTasks(filter: UserTaskFilter = {}): Promise<UserTaskRecord[]> {
    const query = parseInput(UserTaskFilter, filter, 'task filter');
    return (await this.transport.call('listTasks', { query })).tasks;
  }

  /**
   * Completes an open user task of a run; its output variables merge into the run. The server
   * records the API key's identity as the one who completed it (`completedBy` is not sent).
   * @throws ValidationError for a bad request.
   * @throws UnknownRunError when the tenant has no such run.
   * @throws UserTaskNotOpenError when the run has no such open task (its `openTasks` is empty
   *   remotely; the message lists them).
   */
  async completeTask(runId: string, request: CompleteUserTaskRequest): Promise<{ taskKey: string }> {
    const { completedBy: _recordedByServer, ...body } = parseInput(
      CompleteUserTaskRequest,
      request,
      'task completion',
    );
    return this.transport.call('completeTask', { params: { runId }, body });
  }

  /**
   * Retries the element a run's incident parked it on, after setting the given variables.
   * @throws ValidationError for bad variables.
   * @throws UnknownRunError when the tenant has no such run.
   * @throws IncidentNotResolvedError when the run has no incident.
   */
  async resolveIncident(runId: string, request: ResolveIncidentRequest = {}): Promise<void> {
    const body = parseInput(ResolveIncidentRequest, request, 'incident resolution');
    await this.transport.call('resolveIncident', { params: { runId }, body });
  }

  /**
   * Tool calls waiting for a person's approval: of one run, or of every run of the tenant.
   * @throws UnknownRunError when a run is named and the tenant has no such run.
   */
  async listApprovals(filter: { runId?: string } = {}): Promise<PendingApproval[]> {
    return (await this.transport.call('listApprovals', { query: filter })).approvals;
  }

  /**
   * Approves or rejects a tool call waiting in a run; returns the call. The server records the API
   * key's identity as the decider (`decidedBy` is not sent).
   * @throws ValidationError for a bad decision.
   * @throws UnknownRunError when the tenant has no such run.
   * @throws ApprovalNotDecidedError when the run does not wait on that call.
   */
  async decideApproval(runId: string, decision: ApprovalDecision): Promise<PendingApproval> {
    const { decidedBy: _recordedByServer, ...body } = parseInput(
      ApprovalDecision,
      decision,
      'approval decision',
    );
    return this.transport.call('decideApproval', { params: { runId }, body });
  }

  /**
   * Sets new budgets on a run paused on one, so it goes on; returns the run's limits now.
   * @throws ValidationError for bad limits.
   * @throws UnknownRunError when the tenant has no such run.
   * @throws RunNotResumedError when the run is not paused, or the limits would still stop it.
   */
  async resumeRun(runId: string, request: ResumeRunRequest): Promise<RunLimits> {
    const body = parseInput(ResumeRunRequest, request, 'resume request');
    return this.transport.call('resumeRun', { params: { runId }, body });
  }

  /** Nothing to release: each call is its own HTTP request. */
  async close(): Promise<void> {}
}
