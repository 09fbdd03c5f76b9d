import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { BroadcastSignalRequest, MessageSubscription, PublishMessageRequest } from '../../schema/messages.ts';
import { parseActivityInput } from './activity-input.ts';
import { broadcastToWaitingRuns } from './broadcast.ts';
import { publishToMailbox, subscribeToMailbox, unsubscribeFromMailbox } from './mailboxes.ts';

export interface MessagingDependencies {
  temporal: Client;
  /** The task queue mailbox workflows run on: the worker's own. */
  taskQueue: string;
}

/** Activities through which runs publish and wait for BPMN messages and broadcast BPMN signals. */
export function createMessagingActivities({ temporal, taskQueue }: MessagingDependencies) {
  const target = { temporal, taskQueue };
  return {
    /** Publishes a message; without a messageId it gets one that a retry of this activity repeats. */
    async publishMessage(request: PublishMessageRequest): Promise<{ messageId: string }> {
      const parsed = parseActivityInput(PublishMessageRequest, request, 'message');
      const message = { ...parsed, messageId: parsed.messageId ?? retrySafeMessageId() };
      await publishToMailbox(target, message);
      return { messageId: message.messageId };
    },

    /** The run named in the subscription gets `deliverMessage` signals until it unsubscribes. */
    async subscribeToMessage(subscription: MessageSubscription): Promise<void> {
      await subscribeToMailbox(target, parseActivityInput(MessageSubscription, subscription, 'subscription'));
    },

    async unsubscribeFromMessage(subscription: MessageSubscription): Promise<void> {
      await unsubscribeFromMailbox(
        temporal,
        parseActivityInput(MessageSubscription, subscription, 'subscription'),
      );
    },

    /** Sends `deliverSignal` to every running workflow waiting for the signal; returns how many it reached. */
    async broadcastSignal(request: BroadcastSignalRequest, tenantId?: string): Promise<number> {
      const parsed = parseActivityInput(BroadcastSignalRequest, request, 'signal');
      return broadcastToWaitingRuns(temporal, parsed, tenantId);
    },
  };
}

/** The same for every attempt of this activity, and different for every other activity. */
function retrySafeMessageId(): string {
  const { workflowExecution, activityRunId, activityId } = Context.current().info;
  return `${workflowExecution?.runId ?? activityRunId ?? randomUUID()}/${activityId}`;
}
