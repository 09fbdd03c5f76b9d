import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { MessageSubscription } from '../../schema/messages.ts';
import {
  emptyMailbox,
  type MailboxCommand,
  mailboxSignal,
  mailboxWorkflowId,
  type PublishedMessage,
} from '../../workflows/mailbox/definitions.ts';
import type { messageMailboxWorkflow } from '../../workflows/mailbox-workflow.ts';

/** Where mailboxes live: the Temporal client and the task queue their workflows run on. */
export interface MailboxTarget {
  temporal: Client;
  taskQueue: string;
}

/** Hands a message to its mailbox, starting the mailbox if none runs. */
export function publishToMailbox(target: MailboxTarget, message: PublishedMessage): Promise<void> {
  return signalWithStart(target, message.name, message.correlationKey, { kind: 'publish', message });
}

/** Asks the mailbox of the subscription's name and key to deliver to the subscribing run. */
export function subscribeToMailbox(target: MailboxTarget, subscription: MessageSubscription): Promise<void> {
  return signalWithStart(target, subscription.name, subscription.correlationKey, {
    kind: 'subscribe',
    subscription,
  });
}

/** Ends a subscription; a mailbox that has already ended has nothing to forget. */
export async function unsubscribeFromMailbox(
  temporal: Client,
  subscription: MessageSubscription,
): Promise<void> {
  const mailbox = temporal.workflow.getHandle(
    mailboxWorkflowId(subscription.name, subscription.correlationKey),
  );
  try {
    await mailbox.signal(mailboxSignal, { kind: 'unsubscribe', subscription });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

async function signalWithStart(
  { temporal, taskQueue }: MailboxTarget,
  name: string,
  correlationKey: string,
  command: MailboxCommand,
): Promise<void> {
  await temporal.workflow.signalWithStart<typeof messageMailboxWorkflow, [MailboxCommand]>(
    'messageMailboxWorkflow',
    {
      workflowId: mailboxWorkflowId(name, correlationKey),
      taskQueue,
      args: [{ state: emptyMailbox(name, correlationKey) }],
      signal: mailboxSignal,
      signalArgs: [command],
    },
  );
}
