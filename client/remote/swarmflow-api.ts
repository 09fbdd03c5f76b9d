import type { z } from 'zod';
import type { Agent, AgentInput } from '../../schema/agent.ts';
import type { ApprovalDecision, PendingApproval } from '../../schema/approvals.ts';
import type { ResumeRunRequest } from '../../schema/budget.ts';
import type {
  CompareEvalsRequest,
  EvalComparison,
  EvalDetails,
  EvalFilter,
  EvalRunResult,
  EvalSummary,
  StartEvalRequest,
} from '../../schema/eval-run.ts';
import type { InsightsReport } from '../../schema/insights.ts';
import type { RunLimits } from '../../schema/limits.ts';
import type { BroadcastSignalRequest, PublishMessageRequest } from '../../schema/messages.ts';
import type { Parking } from '../../schema/outcome-error.ts';
import type { RoutineDefinitionInput, RoutineSummary, RoutineVersion } from '../../schema/routine.ts';
import type { RoutineDiff } from '../../schema/routine-diff.ts';
import type { RunOutcome, RunState, RunStatus, RunSummary, StartRunRequest } from '../../schema/run.ts';
import type { RunFeedbackInput, RunScoreRecord } from '../../schema/run-score.ts';
import type {
  ResumeSwarmRequest,
  StartSwarmRequestInput,
  StopSwarmRequestInput,
  SwarmFilter,
  SwarmMessageRequestInput,
  SwarmOutcome,
  SwarmState,
  SwarmStatus,
  SwarmSummary,
  TranscriptEntry,
  TranscriptPage,
} from '../../schema/swarm.ts';
import type { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';
import type {
  CompleteUserTaskRequest,
  ResolveIncidentRequest,
  UserTaskFilter,
  UserTaskRecord,
} from '../../schema/user-task.ts';
import type { DatasetsOperations } from './datasets-operations.ts';
import type { ImprovementOperations } from './improvement-operations.ts';
import type { KnowledgeOperations } from './knowledge-operations.ts';

/**
 * What both SDKs offer, with the same arguments, results and errors: the direct one
 * (`client/sdk.ts`, on Temporal and PostgreSQL) and the remote one (`./swarmflow-client.ts`, on
 * the REST API). The CLI codes against this, so each command is written once. Types only.
 */
export interface SwarmflowApi {
  /** Compiles and stores a routine; the same content again returns the existing version. */
  registerRoutine(
    definition: RoutineDefinitionInput,
    options?: RegisterRoutineOptions,
  ): Promise<RegisteredRoutine>;
  getRoutine(id: string, version?: number): Promise<RoutineVersion>;
  listRoutines(): Promise<RoutineSummary[]>;
  /**
   * What changed from version `from` to version `to` of a routine: metadata, steps (sequence) or
   * elements and flows (BPMN) by id, and a unified diff of the sources.
   * @throws UnknownRoutineError / UnknownRoutineVersionError when either version does not exist.
   */
  routineDiff(id: string, from: number, to: number): Promise<RoutineDiff>;
  /**
   * What the routine's recorded runs tell (failure clusters, cost and latency outliers, LLM steps
   * that could be deterministic, routines to combine), from runs started since `since` (default all).
   * An unknown routine gives an empty report.
   */
  insights(routineId: string, options?: InsightsRequest): Promise<InsightsReport>;
  /** Starts a run after checking its input against the routine's input schema. */
  startRun(request: StartRunRequest): Promise<StartedRun>;
  getRunState(runId: string): Promise<RunState>;
  /** Waits for the run's end (or, with `untilParked`, its parking) and returns its outcome. */
  awaitRun(runId: string, options?: AwaitOptions): Promise<RunOutcome>;
  /**
   * The run's state now and each time it changes, polled; ends after the state that shows the
   * run ended (or, with `untilParked`, parked). Breaking out of the loop stops the polling.
   */
  watchRun(runId: string, options?: WatchOptions): AsyncIterable<RunState>;
  cancelRun(runId: string): Promise<void>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  publishMessage(request: PublishMessageRequest): Promise<{ messageId: string }>;
  /** Returns how many runs the signal reached. */
  broadcastSignal(request: BroadcastSignalRequest): Promise<number>;
  listTasks(filter?: UserTaskFilter): Promise<UserTaskRecord[]>;
  completeTask(runId: string, request: CompleteUserTaskRequest): Promise<{ taskKey: string }>;
  resolveIncident(runId: string, request?: ResolveIncidentRequest): Promise<void>;
  listApprovals(filter?: { runId?: string }): Promise<PendingApproval[]>;
  decideApproval(runId: string, decision: ApprovalDecision): Promise<PendingApproval>;
  resumeRun(runId: string, request: ResumeRunRequest): Promise<RunLimits>;
  readonly swarms: SwarmsOperations;
  readonly agents: AgentsOperations;
  readonly datasets: DatasetsOperations;
  /** Feedback on runs and the scores they got. */
  readonly runs: RunsOperations;
  readonly evals: EvalsOperations;
  readonly knowledge: KnowledgeOperations;
  /** Autonomous improvement: cycles, proposals, promote and rollback. */
  readonly improvement: ImprovementOperations;
  /** Releases connections; the client is unusable after. */
  close(): Promise<void>;
}

/** Eval runs: run a routine version over cases, read stored evals, compare versions (client/evals.ts). */
export interface EvalsOperations {
  start(request: StartEvalRequest): Promise<StartedEval>;
  /** @throws EvalFailedError when the eval did not complete; UnknownEvalError for an unknown id. */
  result(evalId: string): Promise<EvalRunResult>;
  run(request: StartEvalRequest): Promise<EvalRunResult>;
  list(filter?: EvalFilter): Promise<EvalSummary[]>;
  /** @throws UnknownEvalError when the tenant has no eval of that id. */
  get(evalId: string): Promise<EvalDetails>;
  /** @throws NoEvalToCompareError when a version has no completed eval. */
  compare(request: CompareEvalsRequest): Promise<EvalComparison>;
}

export interface StartedEval {
  evalId: string;
  workflowId: string;
  routineId: string;
  version: number;
}

/** Swarms: start, steer, stop and read them. */
export interface SwarmsOperations {
  start(goal: string, options?: SwarmStartOptions): Promise<StartedSwarm>;
  get(swarmId: string): Promise<SwarmState>;
  message(swarmId: string, request: SwarmMessageRequestInput | string): Promise<{ seq: number }>;
  pause(swarmId: string, reason?: string): Promise<SwarmStatus>;
  resume(swarmId: string, request?: z.input<typeof ResumeSwarmRequest>): Promise<SwarmStatus>;
  stop(swarmId: string, request?: StopSwarmRequestInput): Promise<SwarmStatus>;
  updateSharedState(swarmId: string, input: z.input<typeof UpdateSharedStateInput>): Promise<SwarmState>;
  decideApproval(swarmId: string, decision: ApprovalDecision): Promise<PendingApproval>;
  list(filter?: SwarmFilter): Promise<SwarmSummary[]>;
  result(swarmId: string, options?: AwaitOptions): Promise<SwarmOutcome>;
  /**
   * The swarm's state now and each time it changes, polled; ends after the state that shows the
   * swarm ended (or, with `untilParked`, paused on a limit). Breaking out of the loop stops the polling.
   */
  watch(swarmId: string, options?: WatchOptions): AsyncIterable<SwarmState>;
  transcript(swarmId: string, page?: TranscriptPage): Promise<TranscriptEntry[]>;
  /** Where the swarm waits for a person, if it does; only the direct SDK can tell while it waits. */
  parkedOn?(swarmId: string): Promise<Parking | undefined>;
}

/** Feedback on runs and the scores they got (live scorers', evals', people's, decisions'). */
export interface RunsOperations {
  /** Records a person's feedback on a run as a score; the same giver and aspect again replaces it. */
  feedback(runId: string, feedback: RunFeedbackInput): Promise<RunScoreRecord>;
  /** The run's scores, oldest first. */
  scores(runId: string): Promise<RunScoreRecord[]>;
}

/** The tenant's agent catalog, which swarms assemble their teams from. */
export interface AgentsOperations {
  register(agent: AgentInput): Promise<Agent>;
  list(): Promise<Agent[]>;
  get(id: string): Promise<Agent>;
  /** Returns whether the catalog had it. */
  delete(id: string): Promise<boolean>;
}

/** Which runs a routine's insights read. */
export interface InsightsRequest {
  /** Only runs started at or after this time; default all. */
  since?: Date;
}

export interface StartedRun {
  runId: string;
  workflowId: string;
}

export interface RegisteredRoutine {
  id: string;
  version: number;
  created: boolean;
}

export interface RegisterRoutineOptions {
  /**
   * Register the version as a draft: runs and evals without a version keep starting the active
   * one until it is promoted (`routine promote`). Default: the new version becomes active.
   */
  draft?: boolean;
}

export interface StartedSwarm {
  swarmId: string;
  workflowId: string;
}

export type SwarmStartOptions = Omit<StartSwarmRequestInput, 'goal'>;

/** Which runs to list, newest first. */
export interface RunFilter {
  routineId?: string;
  status?: RunStatus;
  limit?: number;
}

/** How long to wait for a run or swarm. */
export interface AwaitOptions {
  /** Also end the wait when it parks on an incident or a budget, where only a person moves it on. */
  untilParked?: boolean;
  /** How often to look whether it parked; default 1 s (direct SDK; the server decides remotely). */
  pollIntervalMs?: number;
}

/** How to watch a run or a swarm (`watchRun`, `swarms.watch`). */
export interface WatchOptions {
  /** How long to wait between two reads of the state; default 1 s. */
  pollIntervalMs?: number;
  /**
   * Also end after a state that shows a wait only a person ends: a run parked on an incident or
   * a budget (status `incident` or `paused`), a swarm paused on a limit. Default: watch on.
   */
  untilParked?: boolean;
  /** Aborting it ends the iteration (at once while it waits between reads, else after the read). */
  signal?: AbortSignal;
}
