import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, PendingApproval } from '../schema/approvals.ts';
import type { ResumeRunRequest } from '../schema/budget.ts';
import type { RunLimits } from '../schema/limits.ts';
import type { BroadcastSignalRequest, MessageDelivery } from '../schema/messages.ts';
import type { RunState } from '../schema/run.ts';
import type { CompleteUserTaskRequest, ResolveIncidentRequest } from '../schema/user-task.ts';

export const runStateQuery = defineQuery<RunState>('state');

/** A person finishes an open user task; the validator rejects unknown or finished tasks. */
export const completeUserTaskUpdate = defineUpdate<{ taskKey: string }, [CompleteUserTaskRequest]>(
  'completeUserTask',
);

/** An operator retries the element a run is parked on, after setting variables. */
export const resolveIncidentUpdate = defineUpdate<void, [ResolveIncidentRequest]>('resolveIncident');

/** A person approves or rejects a parked tool call; the validator rejects unknown or decided calls. */
export const decideApprovalUpdate = defineUpdate<PendingApproval, [ApprovalDecision]>('decideApproval');

/** An operator raises the budgets of a paused run; the validator rejects limits that still stop it. */
export const resumeRunUpdate = defineUpdate<RunLimits, [ResumeRunRequest]>('resumeRun');

/** A mailbox hands a message to the run that subscribed to it. */
export const deliverMessageSignal = defineSignal<[MessageDelivery]>('deliverMessage');

/** A BPMN signal broadcast reaches a run waiting for it. */
export const deliverSignalSignal = defineSignal<[BroadcastSignalRequest]>('deliverSignal');

/** The failure type a run throws; its first detail is the RunOutcome at the moment it ended. */
export const RUN_FAILED = 'SwarmflowRunFailed';
