import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, PendingApproval } from '../../schema/approvals.ts';
import { CYCLE_WAITING_SIGNAL, type CycleWaiting } from '../../schema/cycle-waiting.ts';
import type {
  ResumeSwarmRequest,
  StopSwarmRequest,
  SwarmMessageRequest,
  SwarmState,
  SwarmStatus,
} from '../../schema/swarm.ts';
import type { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';

export const swarmStateQuery = defineQuery<SwarmState>('getState');

/** A message from a person or a service; the leader reads it at its next round. Returns its sequence number. */
export const sendSwarmMessageUpdate = defineUpdate<{ seq: number }, [SwarmMessageRequest]>('sendMessage');

/** No new subtasks or leader turns start until `resume`; running ones go on. */
export const pauseSwarmUpdate = defineUpdate<SwarmStatus, [{ reason?: string }]>('pause');

/** Resumes a paused swarm, with raised limits when it paused on one. */
export const resumeSwarmUpdate = defineUpdate<SwarmStatus, [ResumeSwarmRequest]>('resume');

/** Graceful: running subtasks finish and nothing new starts. Force: the whole tree of children is cancelled now. */
export const stopSwarmUpdate = defineUpdate<SwarmStatus, [StopSwarmRequest]>('stop');

/** An outside agent or person edits the goal, subtasks or blackboard, as the leader's tool does. */
export const updateSwarmSharedStateUpdate = defineUpdate<SwarmState, [UpdateSharedStateInput]>(
  'updateSharedState',
);

/** Approves or rejects a tool call an agent of the swarm waits on. */
export const decideSwarmApprovalUpdate = defineUpdate<PendingApproval, [ApprovalDecision]>('decideApproval');

/** An improvement cycle this swarm started waits for a person's decision on its proposal. */
export const improvementCycleWaitingSignal = defineSignal<[CycleWaiting]>(CYCLE_WAITING_SIGNAL);

export function swarmWorkflowId(swarmId: string): string {
  return `swarm/${swarmId}`;
}
