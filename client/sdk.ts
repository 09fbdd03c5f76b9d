import { randomUUID } from 'node:crypto';
import {
  CancelledFailure,
  Client,
  Connection,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type DataConverter, type UpdateDefinition } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { loadTemporalConnectionOptions } from '../activities/config/temporal-connection.ts';
import { TemporalUnreachableError } from '../activities/config/temporal-unreachable-error.ts';
import { routineInsights } from '../activities/insights/routine-insights.ts';
import { deploymentEmbedder } from '../activities/knowledge/deployment-embedder.ts';
import { broadcastToWaitingRuns } from '../activities/messaging/broadcast.ts';
import { publishToMailbox } from '../activities/messaging/mailboxes.ts';
import { observeApprovalDecision } from '../activities/metrics/approval-decision.ts';
import { runWorkflowId, runWorkflowStart } from '../activities/runs/run-start.ts';
import {
  type RunStarter,
  startRunsOnMessage,
  syncTimerStartSchedules,
} from '../activities/runs/start-events.ts';
import { type DatabaseHandle, openDatabase } from '../activities/store/database.ts';
import { recordApprovalScore } from '../activities/store/decision-scores.ts';
import { compileAndRegisterRoutine } from '../activities/store/routine-registration.ts';
import { RoutineStore } from '../activities/store/routine-store.ts';
import { getRun, listRuns } from '../activities/store/run-read-model.ts';
import { listUserTasks } from '../activities/store/user-task-read-model.ts';
import { diffRoutines } from '../compiler/diff-routines.ts';
import { ApprovalDecision, type PendingApproval } from '../schema/approvals.ts';
import { ResumeRunRequest } from '../schema/budget.ts';
import { loadConfig, type SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import type { InsightsReport } from '../schema/insights.ts';
import { jsonSchemaProblems } from '../schema/json-schema.ts';
import type { RunLimits } from '../schema/limits.ts';
import { BroadcastSignalRequest, PublishMessageRequest } from '../schema/messages.ts';
import {
  RoutineDefinition,
  type RoutineDefinitionInput,
  type RoutineSummary,
  type RoutineVersion,
} from '../schema/routine.ts';
import type { RoutineDiff } from '../schema/routine-diff.ts';
import {
  RunOutcome,
  type RunState,
  type RunStatus,
  type RunSummary,
  StartRunRequest,
} from '../schema/run.ts';
import {
  CompleteUserTaskRequest,
  ResolveIncidentRequest,
  UserTaskFilter,
  type UserTaskRecord,
} from '../schema/user-task.ts';
import { parseInput, ValidationError } from '../schema/validation.ts';
import { swarmflowDataConverter } from '../workers/codec/data-converter.ts';
import {
  completeUserTaskUpdate,
  decideApprovalUpdate,
  RUN_FAILED,
  resolveIncidentUpdate,
  resumeRunUpdate,
  runStateQuery,
} from '../workflows/definitions.ts';
import type { runWorkflow } from '../workflows/run-workflow.ts';
import { AgentsApi } from './agents.ts';
import { CanaryApi } from './canary-api.ts';
import { ApprovalNotDecidedError, RunNotResumedError } from './control-errors.ts';
import { DatasetsApi } from './datasets.ts';
import { UnknownRunError } from './errors.ts';
import { EvalsApi } from './evals.ts';
import { ImprovementApi } from './improvement.ts';
import { KnowledgeApi } from './knowledge.ts';
import { endOrParking, findParkedRun, type ParkedRun } from './parking.ts';
import { runsAwaitingApproval } from './pending-approvals.ts';
import { runHasEnded, runProgress } from './remote/progress-changes.ts';
import type {
  AwaitOptions,
  InsightsRequest,
  RegisteredRoutine,
  RegisterRoutineOptions,
  RunFilter,
  StartedRun,
  SwarmflowApi,
  WatchOptions,
} from './remote/swarmflow-api.ts';
import { watchStates } from './remote/watch-states.ts';
import { RunScoresApi } from './run-scores.ts';
import { IncidentNotResolvedError, UserTaskNotOpenError } from './run-update-errors.ts';
import { SwarmsApi } from './swarms.ts';
import { tracingClientInterceptors } from './telemetry/temporal-client-interceptors.ts';
import { TenantGuard } from './tenant-guard.ts';

export interface SwarmflowClientOptions {
  config?: Partial<SwarmflowConfig>;
  /** Reuse an open database instead of opening one from the configuration. */
  database?: DatabaseHandle;
  /** Payload encryption; without one, from the environment (`SWARMFLOW_ENCRYPTION_KEYS`). */
  dataConverter?: DataConverter;
}

export type { RegisteredRoutine, StartedRun };

/**
 * The typed entry point for workers and operators' scripts, on Temporal and PostgreSQL directly:
 * routines, runs, swarms and their results. Services elsewhere use the remote SDK
 * (`client/remote/swarmflow-client.ts`), which offers the same `SwarmflowApi` over the REST API.
 */
export class SwarmflowClient implements SwarmflowApi {
  private constructor(
    readonly config: SwarmflowConfig,
    readonly temporal: Client,
    private readonly database: DatabaseHandle,
    private readonly ownsDatabase: boolean,
    private readonly guard: TenantGuard = new TenantGuard(undefined),
  ) {}

  /**
   * Opens the database (unless given one) and connects to Temporal, secured as the
   * configuration's `temporalSecurity` says (TLS, mutual TLS, API key).
   * @throws TemporalTlsFileError when a certificate or key file cannot be used.
   * @throws TemporalUnreachableError when Temporal does not answer or refuses the connection.
   */
  static async connect(options: SwarmflowClientOptions = {}): Promise<SwarmflowClient> {
    const config = { ...loadConfig(), ...options.config };
    const dataConverter = options.dataConverter ?? swarmflowDataConverter();
    const connectionOptions = await loadTemporalConnectionOptions(config);
    const database = options.database ?? (await openDatabase(config));
    try {
      const connection = await Connection.connect(connectionOptions);
      const temporal = new Client({
        connection,
        namespace: config.temporalNamespace,
        dataConverter,
        interceptors: tracingClientInterceptors(),
      });
      return new SwarmflowClient(config, temporal, database, options.database === undefined);
    } catch (error) {
      if (options.database === undefined) await database.close();
      throw new TemporalUnreachableError(config, error);
    }
  }

  /**
   * This client acting for one tenant only, as the API server uses it for an authenticated caller:
   * lists and starts are the tenant's, a run or swarm of another tenant answers as an unknown id,
   * and a request naming another tenant is refused. `db` is the database it reads and writes,
   * e.g. one under the tenant's row-level security; it shares this client's Temporal connection,
   * and closing it closes nothing.
   */
  forTenant(tenantId: string, db: Kysely<Database> = this.database.db): SwarmflowClient {
    const database: DatabaseHandle = { db, url: this.database.url, close: async () => {} };
    return new SwarmflowClient(
      { ...this.config, tenantId },
      this.temporal,
      database,
      false,
      new TenantGuard(tenantId),
    );
  }

  get db(): Kysely<Database> {
    return this.database.db;
  }

  /** The URL of the database `db` connects to, for other pools on it (TenantDatabases). */
  get databaseUrl(): string {
    return this.database.url;
  }

  /** Swarms: start, steer, stop and read them. */
  get swarms(): SwarmsApi {
    return new SwarmsApi(this.temporal, this.database.db, this.config, this.guard);
  }

  /** Eval runs: run a routine version over a dataset, read stored evals, compare versions. */
  get evals(): EvalsApi {
    return new EvalsApi(this.temporal, this.database.db, this.config, this.guard);
  }

  /** Autonomous improvement: schedule and run cycles, decide proposals, promote and roll back versions. */
  get improvement(): ImprovementApi {
    return new ImprovementApi(this.temporal, this.database.db, this.config, this.guard);
  }

  /** Canary releases by hand: a share of new runs start a candidate version, watched and judged. */
  get canary(): CanaryApi {
    return new CanaryApi(this.temporal, this.database.db, this.config);
  }

  /** The tenant's agent catalog, which swarms assemble their teams from. */
  get agents(): AgentsApi {
    return new AgentsApi(this.database.db, this.config.tenantId);
  }

  /** The tenant's datasets: versioned eval cases (see DatasetsOperations for the errors). */
  get datasets(): DatasetsApi {
    return new DatasetsApi(this.database.db, this.config.tenantId);
  }

  /** Feedback on the tenant's runs and the scores they got. */
  get runs(): RunScoresApi {
    return new RunScoresApi(this.database.db, this.config.tenantId);
  }

  /** The tenant's knowledge base (semantic search, documents), embedding as the deployment config says. */
  get knowledge(): KnowledgeApi {
    return new KnowledgeApi(this.database.db, this.config.tenantId, deploymentEmbedder);
  }

  private get runStarter(): RunStarter {
    return { db: this.database.db, temporal: this.temporal, taskQueue: this.config.taskQueue };
  }

  private get routines(): RoutineStore {
    return new RoutineStore(this.database.db);
  }

  /** Compiles and stores a routine; the same content again returns the existing version. */
  async registerRoutine(
    definition: RoutineDefinitionInput,
    options: RegisterRoutineOptions = {},
  ): Promise<RegisteredRoutine> {
    const parsed = parseInput(RoutineDefinition, definition, 'routine definition');
    const placement = options.draft ? { status: 'draft' as const } : undefined;
    const stored = await compileAndRegisterRoutine(this.routines, this.config.tenantId, parsed, placement);
    if (stored.created && !options.draft)
      await syncTimerStartSchedules(this.runStarter, await this.getRoutine(parsed.id, stored.version));
    return { id: parsed.id, ...stored };
  }

  getRoutine(id: string, version?: number): Promise<RoutineVersion> {
    return this.routines.get(this.config.tenantId, id, version);
  }

  listRoutines(): Promise<RoutineSummary[]> {
    return this.routines.list(this.config.tenantId);
  }

  /**
   * What changed from version `from` to version `to` of a routine: metadata, steps (sequence) or
   * elements and flows (BPMN) by id, and a unified diff of the sources.
   * @throws UnknownRoutineError / UnknownRoutineVersionError when either version does not exist.
   */
  async routineDiff(id: string, from: number, to: number): Promise<RoutineDiff> {
    const [a, b] = await Promise.all([this.getRoutine(id, from), this.getRoutine(id, to)]);
    return diffRoutines(a, b);
  }

  /**
   * What the routine's recorded runs tell (failure clusters, cost and latency outliers, LLM steps
   * that could be deterministic, routines to combine), from runs started since `since` (default all).
   * An unknown routine gives an empty report.
   */
  insights(routineId: string, options: InsightsRequest = {}): Promise<InsightsReport> {
    return routineInsights(this.database.db, this.config.tenantId, routineId, options);
  }

  /** Starts a run after checking its input against the routine's input schema. */
  async startRun(request: StartRunRequest): Promise<StartedRun> {
    const parsed = parseInput(StartRunRequest, request, 'run request');
    const tenantId = this.guard.tenantFor(parsed.tenantId, this.config.tenantId);
    const runId = parsed.runId ?? randomUUID();
    const routine = await this.routines.forNewRun(tenantId, parsed.routineId, runId, parsed.version);
    const processId = parsed.processId ?? routine.compiled.defaultProcessId;
    const graph = routine.compiled.processes[processId];
    if (!graph) {
      const known = Object.keys(routine.compiled.processes).join(', ');
      throw new ValidationError('run request', [
        `processId: routine ${routine.id} has no process "${processId}"; it has ${known}`,
      ]);
    }
    const problems = routine.inputSchema ? jsonSchemaProblems(routine.inputSchema, parsed.input) : [];
    if (problems.length > 0) throw new ValidationError(`input for routine ${routine.id}`, problems);
    const { workflowType, ...options } = runWorkflowStart(routine, graph, {
      workflowId: runWorkflowId(runId),
      taskQueue: this.config.taskQueue,
      variables: parsed.input,
      runId,
    });
    const handle = await this.temporal.workflow.start(workflowType, options);
    return { runId, workflowId: handle.workflowId };
  }

  /**
   * Live state of a run, asked of the workflow itself (a worker must be running). A run that does
   * not show an end is asked of Temporal too, so a run terminated or timed out there, which its
   * own state cannot tell, shows `terminated` or `timed_out`.
   * @throws UnknownRunError when Temporal does not know the run (or it is another tenant's).
   */
  async getRunState(runId: string): Promise<RunState> {
    try {
      const handle = await this.ownRun(runId);
      const state = await handle.query(runStateQuery);
      if (runHasEnded(state.status)) return state;
      const status = closedRunStatuses[(await handle.describe()).status.name];
      return status === undefined ? state : { ...state, status };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(runId);
      throw error;
    }
  }

  /**
   * The run's state now and each time it changes, read every `pollIntervalMs` (1 s by default);
   * ends after the state that shows the run ended, or with `untilParked` parked. Breaking out of
   * the loop stops the polling.
   * @throws UnknownRunError when Temporal does not know the run (from the first `next()`).
   */
  watchRun(runId: string, options: WatchOptions = {}): AsyncGenerator<RunState, void, undefined> {
    return watchStates(() => this.getRunState(runId), runProgress, options);
  }

  /**
   * Waits for a run to end and returns its outcome, whatever the status; never throws for a
   * failed run. With `untilParked`, also returns when the run parks on an incident or a budget
   * (status `incident` or `paused`, with `parkedOn` saying where), since nothing but a person
   * moves it on from there.
   * @throws UnknownRunError when Temporal does not know the run.
   */
  async awaitRun(runId: string, options: AwaitOptions = {}): Promise<RunOutcome> {
    await this.ownRun(runId);
    return endOrParking(
      this.temporal,
      options,
      () => this.awaitRunEnd(runId),
      () => findParkedRun({ temporal: this.temporal, db: this.database.db }, runId),
      (parked) => this.parkedOutcome(runId, parked),
    );
  }

  /** A parked run's outcome so far: its live state when a worker answered, else what the read model has. */
  private async parkedOutcome(runId: string, { parking: parkedOn, state }: ParkedRun): Promise<RunOutcome> {
    const recorded = state ? undefined : await getRun(this.database.db, runId);
    const usage = state?.usage ?? recorded?.usage ?? undefined;
    return {
      runId,
      status: parkedOn.kind === 'incident' ? 'incident' : 'paused',
      outputs: state?.outputs ?? {},
      trace: state?.trace ?? [],
      error: parkedOn.message,
      ...(usage ? { usage } : {}),
      parkedOn,
    };
  }

  private async awaitRunEnd(runId: string): Promise<RunOutcome> {
    try {
      return RunOutcome.parse(await this.handle(runId).result());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(runId);
      if (error instanceof WorkflowFailedError) return this.failedOutcome(runId, error);
      throw error;
    }
  }

  async cancelRun(runId: string): Promise<void> {
    try {
      await (await this.ownRun(runId)).cancel();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(runId);
      throw error;
    }
  }

  listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    return listRuns(this.database.db, this.config.tenantId, filter);
  }

  /** Publishes a BPMN message to the runs waiting on its name and key; late runs get it until its TTL ends. */
  async publishMessage(request: PublishMessageRequest): Promise<{ messageId: string }> {
    const parsed = parseInput(PublishMessageRequest, request, 'message');
    const message = { ...parsed, messageId: parsed.messageId ?? randomUUID() };
    await publishToMailbox({ temporal: this.temporal, taskQueue: this.config.taskQueue }, message);
    await startRunsOnMessage(this.runStarter, this.config.tenantId, message);
    return { messageId: message.messageId };
  }

  /** Sends a BPMN signal to every run of the tenant waiting for it; returns how many it reached. */
  async broadcastSignal(request: BroadcastSignalRequest): Promise<number> {
    const parsed = parseInput(BroadcastSignalRequest, request, 'signal');
    return broadcastToWaitingRuns(this.temporal, parsed, this.config.tenantId);
  }

  /** The tenant's user tasks from the read model, oldest first. */
  async listTasks(filter: UserTaskFilter = {}): Promise<UserTaskRecord[]> {
    const parsed = parseInput(UserTaskFilter, filter, 'task filter');
    return listUserTasks(this.database.db, this.config.tenantId, parsed);
  }

  /** Completes an open user task of a run; its output variables merge into the run. */
  async completeTask(runId: string, request: CompleteUserTaskRequest): Promise<{ taskKey: string }> {
    const parsed = parseInput(CompleteUserTaskRequest, request, 'task completion');
    return this.updateRun(runId, completeUserTaskUpdate, [parsed], async (reason) => {
      const openTasks = await this.listTasks({ runId, status: 'open' });
      return new UserTaskNotOpenError(runId, parsed, reason, openTasks);
    });
  }

  /** Retries the element a run's incident parked it on, after setting the given variables. */
  async resolveIncident(runId: string, request: ResolveIncidentRequest = {}): Promise<void> {
    const parsed = parseInput(ResolveIncidentRequest, request, 'incident resolution');
    await this.updateRun(
      runId,
      resolveIncidentUpdate,
      [parsed],
      (reason) => new IncidentNotResolvedError(runId, reason),
    );
  }

  /** Tool calls waiting for a person's approval: of one run, or of every run of the tenant. */
  async listApprovals(filter: { runId?: string } = {}): Promise<PendingApproval[]> {
    const { runId } = filter;
    const runIds =
      runId === undefined ? await runsAwaitingApproval(this.temporal, this.config.tenantId) : [runId];
    const states = await Promise.all(runIds.map((id) => this.getRunState(id)));
    return states.flatMap((state) => state.pendingApprovals);
  }

  /**
   * Approves or rejects a tool call waiting in a run; returns the call. A rejected call is refused to the model.
   * The decision is also kept as a score on the run (source `approval`: approved 1, rejected 0) given by `decidedBy`.
   * @throws UnknownRunError when there is no such run of the tenant.
   * @throws ApprovalNotDecidedError when the run refuses the decision (no such call, already decided, a role missing).
   */
  async decideApproval(runId: string, decision: ApprovalDecision): Promise<PendingApproval> {
    const parsed = parseInput(ApprovalDecision, decision, 'approval decision');
    const call = await this.updateRun(
      runId,
      decideApprovalUpdate,
      [parsed],
      (reason) => new ApprovalNotDecidedError(runId, parsed.callId, reason),
    );
    await recordApprovalScore(this.database.db, {
      tenantId: this.config.tenantId,
      runId,
      callId: parsed.callId,
      approved: parsed.approved,
      decidedBy: parsed.decidedBy,
      reason: parsed.reason,
      tool: `${call.server}/${call.tool}`,
    });
    observeApprovalDecision(call, parsed.approved);
    return call;
  }

  /** Sets new budgets on a run paused on one, so it goes on; returns the run's limits now. */
  async resumeRun(runId: string, request: ResumeRunRequest): Promise<RunLimits> {
    const parsed = parseInput(ResumeRunRequest, request, 'resume request');
    return this.updateRun(
      runId,
      resumeRunUpdate,
      [parsed],
      (reason) => new RunNotResumedError(runId, reason),
    );
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
    if (this.ownsDatabase) await this.database.close();
  }

  private handle(runId: string): WorkflowHandle<typeof runWorkflow> {
    return this.temporal.workflow.getHandle(runWorkflowId(runId));
  }

  /** The run's handle, once the guard has admitted it: another tenant's run is an UnknownRunError. */
  private async ownRun(runId: string): Promise<WorkflowHandle<typeof runWorkflow>> {
    const handle = this.handle(runId);
    await this.guard.admit(handle, () => new UnknownRunError(runId));
    return handle;
  }

  /** Executes an update on a run; a rejection becomes the error `rejected` makes of the workflow's reason. */
  private async updateRun<Ret, Args extends [unknown, ...unknown[]]>(
    runId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    rejected: (reason: string) => Error | Promise<Error>,
  ): Promise<Ret> {
    try {
      return await (await this.ownRun(runId)).executeUpdate(update, { args });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new UnknownRunError(runId);
      if (error instanceof WorkflowUpdateFailedError)
        throw await rejected(error.cause?.message ?? error.message);
      throw error;
    }
  }

  private async failedOutcome(runId: string, error: WorkflowFailedError): Promise<RunOutcome> {
    const { cause } = error;
    if (cause instanceof ApplicationFailure && cause.type === RUN_FAILED && cause.details?.[0]) {
      return RunOutcome.parse(cause.details[0]);
    }
    const status = failureStatus(cause);
    const recorded = await getRun(this.database.db, runId);
    return {
      runId,
      status,
      outputs: recorded?.outputs ?? {},
      trace: recorded?.trace ?? [],
      error: cause?.message ?? error.message,
      ...(recorded?.usage ? { usage: recorded.usage } : {}),
    };
  }
}

export type { AwaitOptions };
export { runWorkflowId };

/** The run status a closed workflow's Temporal status tells, where the run's own state cannot. */
const closedRunStatuses: Partial<Record<string, RunStatus>> = {
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};

function failureStatus(cause: Error | undefined): RunStatus {
  if (cause instanceof CancelledFailure) return 'cancelled';
  if (cause instanceof TerminatedFailure) return 'terminated';
  if (cause instanceof TimeoutFailure) return 'timed_out';
  return 'failed';
}
