import { randomUUID } from 'node:crypto';
import {
  CancelledFailure,
  type Client,
  TerminatedFailure,
  WorkflowFailedError,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { getSwarmState, listSwarms, readTranscript } from '../activities/swarms/swarm-read-model.ts';
import { ApprovalDecision, type PendingApproval } from '../schema/approvals.ts';
import type { SwarmflowConfig } from '../schema/config.ts';
import type { Database } from '../schema/db/tables.ts';
import type { Parking } from '../schema/outcome-error.ts';
import { swarmSearchAttributes } from '../schema/search-attributes.ts';
import {
  ResumeSwarmRequest,
  StartSwarmRequest,
  StopSwarmRequest,
  type StopSwarmRequestInput,
  type SwarmFilter,
  SwarmLimits,
  SwarmMessageRequest,
  type SwarmMessageRequestInput,
  SwarmOutcome,
  type SwarmState,
  type SwarmStatus,
  type SwarmSummary,
  type SwarmWorkflowInput,
  type TranscriptEntry,
  type TranscriptPage,
} from '../schema/swarm.ts';
import { UpdateSharedStateInput } from '../schema/swarm-tools.ts';
import { NO_USAGE } from '../schema/usage.ts';
import { parseInput } from '../schema/validation.ts';
import {
  decideSwarmApprovalUpdate,
  pauseSwarmUpdate,
  resumeSwarmUpdate,
  sendSwarmMessageUpdate,
  stopSwarmUpdate,
  swarmStateQuery,
  swarmWorkflowId,
  updateSwarmSharedStateUpdate,
} from '../workflows/swarm/definitions.ts';
import type { swarmWorkflow } from '../workflows/swarm-workflow.ts';
import { SwarmUpdateRejectedError } from './control-errors.ts';
import { UnknownSwarmError } from './errors.ts';
import { endOrParking, findSwarmParking } from './parking.ts';
import { swarmHasEnded, swarmProgress } from './remote/progress-changes.ts';
import type {
  AwaitOptions,
  StartedSwarm,
  SwarmStartOptions,
  SwarmsOperations,
  WatchOptions,
} from './remote/swarmflow-api.ts';
import { watchStates } from './remote/watch-states.ts';
import { TenantGuard } from './tenant-guard.ts';

export type { StartedSwarm, SwarmStartOptions };

/** A closed swarm's state is asked of a worker replaying it; with no worker about, the read model answers after this. */
const closedQueryTimeoutMs = 3000;

/** Swarms: start them, talk to them, steer and stop them, and read what they did. */
export class SwarmsApi implements SwarmsOperations {
  constructor(
    private readonly temporal: Client,
    private readonly db: Kysely<Database>,
    private readonly config: Pick<SwarmflowConfig, 'tenantId' | 'taskQueue'>,
    private readonly guard: TenantGuard = new TenantGuard(undefined),
  ) {}

  /** Starts a swarm on a goal; the team is assembled from the catalog unless `options.team` gives one. */
  async start(goal: string, options: SwarmStartOptions = {}): Promise<StartedSwarm> {
    const request = parseInput(StartSwarmRequest, { ...options, goal }, 'swarm request');
    const swarmId = request.swarmId ?? randomUUID();
    const tenantId = this.guard.tenantFor(request.tenantId, this.config.tenantId);
    const input: SwarmWorkflowInput = {
      swarmId,
      tenantId,
      goal: request.goal,
      ...(request.team === undefined ? {} : { team: request.team }),
      ...(request.requirements === undefined ? {} : { requirements: request.requirements }),
      limits: SwarmLimits.parse(request.limits ?? {}),
      planner: request.planner,
      input: request.input,
      awaitMessages: request.awaitMessages,
      ...(request.toolPolicy === undefined ? {} : { toolPolicy: request.toolPolicy }),
      lineage: { rootSwarmId: swarmId, depth: 0 },
    };
    const handle = await this.temporal.workflow.start<typeof swarmWorkflow>('swarmWorkflow', {
      workflowId: swarmWorkflowId(swarmId),
      taskQueue: this.config.taskQueue,
      args: [input],
      typedSearchAttributes: swarmSearchAttributes(tenantId),
    });
    return { swarmId, workflowId: handle.workflowId };
  }

  /**
   * The swarm's state: asked of the workflow while it runs; once it has ended, of a worker
   * replaying it, else of the read model (which keeps no blackboard, children or approvals). A
   * swarm whose workflow was terminated or timed out, which its own state cannot tell, is
   * `cancelled` or `failed`.
   */
  async get(swarmId: string): Promise<SwarmState> {
    const handle = await this.ownSwarm(swarmId);
    const status = await workflowStatus(handle);
    if (status === undefined) return this.recordedState(swarmId);
    if (status === 'RUNNING') return handle.query(swarmStateQuery);
    let state: SwarmState;
    try {
      const deadline = Date.now() + closedQueryTimeoutMs;
      state = await this.temporal.connection.withDeadline(deadline, () => handle.query(swarmStateQuery));
    } catch {
      state = await this.recordedState(swarmId);
    }
    return withClosedStatus(state, status);
  }

  /**
   * The swarm's state now and each time it changes, read every `pollIntervalMs` (1 s by
   * default); ends after the state that shows the swarm ended, or with `untilParked` paused on a
   * limit. Breaking out of the loop stops the polling.
   * @throws UnknownSwarmError when neither Temporal nor the read model knows the swarm (from the first `next()`).
   */
  watch(swarmId: string, options: WatchOptions = {}): AsyncGenerator<SwarmState, void, undefined> {
    return watchStates(() => this.get(swarmId), swarmProgress, options);
  }

  /** Sends a message to the swarm's leader (or an agent, with `to`); returns its place in the transcript. */
  message(swarmId: string, request: SwarmMessageRequestInput | string): Promise<{ seq: number }> {
    const message = parseInput(
      SwarmMessageRequest,
      typeof request === 'string' ? { text: request } : request,
      'swarm message',
    );
    return this.update(swarmId, 'take the message', sendSwarmMessageUpdate, [message]);
  }

  /** Holds new subtasks and leader turns until `resume`; running ones go on. */
  pause(swarmId: string, reason?: string): Promise<SwarmStatus> {
    return this.update(swarmId, 'pause', pauseSwarmUpdate, [reason === undefined ? {} : { reason }]);
  }

  /** Resumes a paused swarm, with raised limits when it paused on one. */
  resume(swarmId: string, request: z.input<typeof ResumeSwarmRequest> = {}): Promise<SwarmStatus> {
    const parsed = parseInput(ResumeSwarmRequest, request, 'resume request');
    return this.update(swarmId, 'resume', resumeSwarmUpdate, [parsed]);
  }

  /** Graceful (default): running subtasks finish, nothing new starts. Force: the whole tree of children is cancelled now. */
  stop(swarmId: string, request: StopSwarmRequestInput = {}): Promise<SwarmStatus> {
    const parsed = parseInput(StopSwarmRequest, request, 'stop request');
    return this.update(swarmId, 'stop', stopSwarmUpdate, [parsed]);
  }

  /** Edits the goal, subtasks or blackboard as the leader's tool does; returns the state after. */
  updateSharedState(swarmId: string, input: z.input<typeof UpdateSharedStateInput>): Promise<SwarmState> {
    const parsed = parseInput(UpdateSharedStateInput, input, 'shared state update');
    return this.update(swarmId, 'update its shared state', updateSwarmSharedStateUpdate, [parsed]);
  }

  /** Approves or rejects a tool call an agent of the swarm waits on; returns the call. */
  decideApproval(swarmId: string, decision: ApprovalDecision): Promise<PendingApproval> {
    const parsed = parseInput(ApprovalDecision, decision, 'approval decision');
    return this.update(swarmId, `decide tool call ${parsed.callId}`, decideSwarmApprovalUpdate, [parsed]);
  }

  /** The tenant's swarms from the read model, most recent first. */
  list(filter: SwarmFilter = {}): Promise<SwarmSummary[]> {
    return listSwarms(this.db, this.config.tenantId, filter);
  }

  /**
   * Waits for the swarm to end and returns its outcome, whatever the status; never throws for a
   * failed swarm. With `untilParked`, also returns when the swarm waits for a person: paused on a
   * limit, or a child run parked on an incident or a budget (`parkedOn` says which; the status
   * is the swarm's, e.g. still `running`).
   * @throws UnknownSwarmError when neither Temporal nor the read model knows the swarm.
   */
  async result(swarmId: string, options: AwaitOptions = {}): Promise<SwarmOutcome> {
    await this.ownSwarm(swarmId);
    return endOrParking(
      this.temporal,
      options,
      () => this.awaitEnd(swarmId),
      () => this.parkedOn(swarmId),
      async (parkedOn) => ({ ...outcomeOf(await this.get(swarmId)), parkedOn }),
    );
  }

  /**
   * Where the swarm waits for a person, if it does: paused on one of its limits, or a child run
   * (in it or a sub-swarm) parked on an incident or a budget.
   * @throws UnknownSwarmError when neither Temporal nor the read model knows the swarm.
   */
  parkedOn(swarmId: string): Promise<Parking | undefined> {
    return findSwarmParking({ temporal: this.temporal, db: this.db }, (id) => this.get(id), swarmId);
  }

  private async awaitEnd(swarmId: string): Promise<SwarmOutcome> {
    try {
      return SwarmOutcome.parse(await this.handle(swarmId).result());
    } catch (error) {
      if (error instanceof WorkflowFailedError) return this.failedOutcome(swarmId, error);
      if (error instanceof WorkflowNotFoundError) return outcomeOf(await this.recordedState(swarmId));
      throw error;
    }
  }

  /** A page of the swarm's whole transcript from PostgreSQL, oldest first. */
  async transcript(swarmId: string, page: TranscriptPage = {}): Promise<TranscriptEntry[]> {
    await this.ownSwarm(swarmId);
    return readTranscript(this.db, swarmId, page);
  }

  private handle(swarmId: string): WorkflowHandle<typeof swarmWorkflow> {
    return this.temporal.workflow.getHandle(swarmWorkflowId(swarmId));
  }

  /** The swarm's handle, once the guard has admitted it: another tenant's swarm is an UnknownSwarmError. */
  private async ownSwarm(swarmId: string): Promise<WorkflowHandle<typeof swarmWorkflow>> {
    const handle = this.handle(swarmId);
    await this.guard.admit(handle, () => new UnknownSwarmError(swarmId));
    return handle;
  }

  private async recordedState(swarmId: string): Promise<SwarmState> {
    const state = await getSwarmState(this.db, swarmId);
    if (!state) throw new UnknownSwarmError(swarmId);
    return state;
  }

  /** Executes an update; a rejection becomes a SwarmUpdateRejectedError with the workflow's reason. */
  private async update<Ret, Args extends [unknown, ...unknown[]]>(
    swarmId: string,
    action: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
  ): Promise<Ret> {
    try {
      return await (await this.ownSwarm(swarmId)).executeUpdate(update, { args });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new SwarmUpdateRejectedError(swarmId, action, error.cause?.message ?? error.message);
      }
      if (error instanceof WorkflowNotFoundError) {
        const { status } = await this.recordedState(swarmId);
        throw new SwarmUpdateRejectedError(swarmId, action, `the swarm has ended (${status})`);
      }
      throw error;
    }
  }

  /** The outcome of a swarm whose workflow failed, was cancelled or terminated, from what the read model kept. */
  private async failedOutcome(swarmId: string, error: WorkflowFailedError): Promise<SwarmOutcome> {
    const { cause } = error;
    const status =
      cause instanceof CancelledFailure || cause instanceof TerminatedFailure ? 'cancelled' : 'failed';
    const recorded = await getSwarmState(this.db, swarmId);
    return {
      ...(recorded ? outcomeOf(recorded) : { swarmId, subtasks: [], usage: { ...NO_USAGE } }),
      status,
      error: cause?.message ?? error.message,
    };
  }
}

/** The workflow's status, e.g. RUNNING or COMPLETED; undefined when Temporal does not know it. */
async function workflowStatus(handle: WorkflowHandle): Promise<string | undefined> {
  try {
    return (await handle.describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/**
 * The state of a swarm whose workflow has closed (`workflowStatus`, e.g. TERMINATED): one that
 * does not show an end, as a terminated or timed-out workflow's cannot, ends as `cancelled`
 * (terminated or cancelled) or `failed`, as `result` tells it.
 */
function withClosedStatus(state: SwarmState, workflowStatus: string): SwarmState {
  const status = closedSwarmStatuses[workflowStatus];
  if (status === undefined || swarmHasEnded(state.status)) return state;
  return { ...state, status, statusReason: `the swarm's workflow was ${workflowStatus.toLowerCase()}` };
}

const closedSwarmStatuses: Partial<Record<string, SwarmStatus>> = {
  TERMINATED: 'cancelled',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'failed',
  FAILED: 'failed',
};

/** The outcome a swarm's state tells, as the workflow makes it: a swarm that did not complete says why. */
function outcomeOf(state: SwarmState): SwarmOutcome {
  const error = state.status === 'completed' ? undefined : state.statusReason;
  return {
    swarmId: state.swarmId,
    status: state.status,
    ...(state.result === undefined ? {} : { result: state.result }),
    subtasks: state.subtasks,
    usage: state.usage,
    ...(error === undefined ? {} : { error }),
  };
}
