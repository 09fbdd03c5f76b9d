import type { z } from 'zod';
import { ApprovalDecision, type PendingApproval } from '../../schema/approvals.ts';
import {
  ResumeSwarmRequest,
  StartSwarmRequest,
  StopSwarmRequest,
  type StopSwarmRequestInput,
  type SwarmFilter,
  SwarmMessageRequest,
  type SwarmMessageRequestInput,
  type SwarmOutcome,
  type SwarmState,
  type SwarmStatus,
  type SwarmSummary,
  type TranscriptEntry,
  type TranscriptPage,
} from '../../schema/swarm.ts';
import { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';
import { parseInput, ValidationError } from '../../schema/validation.ts';
import type { ApiTransport } from './api-transport.ts';
import { awaitOutcome } from './await-outcome.ts';
import { swarmProgress } from './progress-changes.ts';
import { refuseTenant } from './refuse-tenant.ts';
import type {
  AwaitOptions,
  StartedSwarm,
  SwarmStartOptions,
  SwarmsOperations,
  WatchOptions,
} from './swarmflow-api.ts';
import { watchStates } from './watch-states.ts';

/**
 * Swarms over the REST API, as the direct SDK's `client.swarms`. Every method may also throw what
 * every remote call may (see SwarmflowClient); a swarm of another tenant is an UnknownSwarmError.
 */
export class RemoteSwarms implements SwarmsOperations {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * Starts a swarm on a goal; the team is assembled from the catalog unless `options.team` gives one.
   * @throws ValidationError for a bad request, or a `tenantId` (the key's tenant is the swarm's).
   * @throws QuotaExceededError when the tenant runs as many swarms as its quota allows.
   */
  async start(goal: string, options: SwarmStartOptions = {}): Promise<StartedSwarm> {
    const { tenantId, ...body } = parseInput(StartSwarmRequest, { ...options, goal }, 'swarm request');
    refuseTenant({ tenantId }, 'swarm request');
    return this.transport.call('startSwarm', { body });
  }

  /**
   * The swarm's state.
   * @throws UnknownSwarmError when the tenant has no such swarm.
   */
  async get(swarmId: string): Promise<SwarmState> {
    return this.transport.call('getSwarm', { params: { swarmId } });
  }

  /**
   * Sends a message to the swarm's leader (or an agent, with `to`); returns its place in the transcript.
   * @throws ValidationError for a bad message.
   * @throws SwarmUpdateRejectedError when the swarm refuses it (it has ended, say).
   */
  async message(swarmId: string, request: SwarmMessageRequestInput | string): Promise<{ seq: number }> {
    const body = parseInput(
      SwarmMessageRequest,
      typeof request === 'string' ? { text: request } : request,
      'swarm message',
    );
    return this.transport.call('messageSwarm', { params: { swarmId }, body });
  }

  /**
   * Holds new subtasks and leader turns until `resume`; running ones go on.
   * @throws SwarmUpdateRejectedError when the swarm refuses it.
   */
  async pause(swarmId: string, reason?: string): Promise<SwarmStatus> {
    const body = reason === undefined ? {} : { reason };
    return (await this.transport.call('pauseSwarm', { params: { swarmId }, body })).status;
  }

  /**
   * Resumes a paused swarm, with raised limits when it paused on one.
   * @throws ValidationError for bad limits.
   * @throws SwarmUpdateRejectedError when the swarm refuses it.
   */
  async resume(swarmId: string, request: z.input<typeof ResumeSwarmRequest> = {}): Promise<SwarmStatus> {
    const body = parseInput(ResumeSwarmRequest, request, 'resume request');
    return (await this.transport.call('resumeSwarm', { params: { swarmId }, body })).status;
  }

  /**
   * Graceful (default): running subtasks finish, nothing new starts. Force: the whole tree of children is cancelled now.
   * @throws ValidationError for a bad request.
   * @throws SwarmUpdateRejectedError when the swarm refuses it.
   */
  async stop(swarmId: string, request: StopSwarmRequestInput = {}): Promise<SwarmStatus> {
    const body = parseInput(StopSwarmRequest, request, 'stop request');
    return (await this.transport.call('stopSwarm', { params: { swarmId }, body })).status;
  }

  /**
   * Edits the goal, subtasks or blackboard as the leader's tool does; returns the state after.
   * @throws ValidationError for a bad update.
   * @throws SwarmUpdateRejectedError when the swarm refuses it.
   */
  async updateSharedState(
    swarmId: string,
    input: z.input<typeof UpdateSharedStateInput>,
  ): Promise<SwarmState> {
    const body = parseInput(UpdateSharedStateInput, input, 'shared state update');
    return this.transport.call('updateSwarmSharedState', { params: { swarmId }, body });
  }

  /**
   * Approves or rejects a tool call an agent of the swarm waits on; returns the call. The server
   * records the API key's identity as the decider (`decidedBy` is not sent).
   * @throws ValidationError for a bad decision.
   * @throws SwarmUpdateRejectedError when the swarm does not wait on that call.
   */
  async decideApproval(swarmId: string, decision: ApprovalDecision): Promise<PendingApproval> {
    const { decidedBy: _recordedByServer, ...body } = parseInput(
      ApprovalDecision,
      decision,
      'approval decision',
    );
    return this.transport.call('decideSwarmApproval', { params: { swarmId }, body });
  }

  /**
   * The tenant's swarms, most recent first.
   * @throws ValidationError for `parentSwarmId`, which the REST API does not filter on.
   */
  async list(filter: SwarmFilter = {}): Promise<SwarmSummary[]> {
    const { parentSwarmId, ...query } = filter;
    if (parentSwarmId !== undefined) {
      throw new ValidationError('swarm filter', [
        'parentSwarmId: the REST API lists swarms by status only; filter the list by parentSwarmId yourself',
      ]);
    }
    return (await this.transport.call('listSwarms', { query })).swarms;
  }

  /**
   * Waits for the swarm to end and returns its outcome, whatever the status; never throws for a
   * failed swarm. With `untilParked`, also returns when the swarm waits for a person.
   * @throws UnknownSwarmError when the tenant has no such swarm.
   */
  async result(swarmId: string, options: AwaitOptions = {}): Promise<SwarmOutcome> {
    return awaitOutcome(
      (query) => this.transport.call('getSwarmOutcome', { params: { swarmId }, query }),
      options,
    );
  }

  /**
   * The swarm's state now and each time it changes (status, subtasks, children, transcript,
   * approvals, usage…), reading it every `pollIntervalMs` (1 s by default); ends after the state
   * that shows the swarm ended, or with `untilParked` paused on a limit. Breaking out of the loop
   * stops the polling.
   * @throws UnknownSwarmError when the tenant has no such swarm (from the first `next()`).
   */
  watch(swarmId: string, options: WatchOptions = {}): AsyncGenerator<SwarmState, void, undefined> {
    return watchStates(() => this.get(swarmId), swarmProgress, options);
  }

  /**
   * A page of the swarm's whole transcript, oldest first.
   * @throws UnknownSwarmError when the tenant has no such swarm.
   */
  async transcript(swarmId: string, page: TranscriptPage = {}): Promise<TranscriptEntry[]> {
    return (await this.transport.call('getSwarmTranscript', { params: { swarmId }, query: page })).entries;
  }
}
