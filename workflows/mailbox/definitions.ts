import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { z } from 'zod';
import type { MessageSubscription, PublishMessageRequest } from '../../schema/messages.ts';
import type { MailboxState } from './mailbox.ts';

/** A message as its mailbox receives it: parsed, with its id set by the publisher. */
export type PublishedMessage = z.output<typeof PublishMessageRequest> & { messageId: string };

export interface MailboxInput {
  state: MailboxState;
  /** History length after which the mailbox continues as new; 2,000 when omitted. */
  maxHistoryEvents?: number;
}

/** What publishers and subscribers ask of a mailbox. */
export type MailboxCommand =
  | { kind: 'publish'; message: PublishedMessage }
  | { kind: 'subscribe'; subscription: MessageSubscription }
  | { kind: 'unsubscribe'; subscription: MessageSubscription };

/**
 * One signal for every command: signals that arrive before a workflow registers its handlers
 * are dispatched handler by handler, so with one signal per command a subscribe and a publish
 * that start the mailbox together could be applied out of order.
 */
export const mailboxSignal = defineSignal<[MailboxCommand]>('mailbox');
export const mailboxStateQuery = defineQuery<MailboxState>('mailboxState');

/** `message/<name>/<correlationKey>`, both URI-encoded so any name and key make one readable id. */
export function mailboxWorkflowId(name: string, correlationKey: string): string {
  return `message/${encodeURIComponent(name)}/${encodeURIComponent(correlationKey)}`;
}

export function emptyMailbox(name: string, correlationKey: string): MailboxState {
  return { name, correlationKey, subscriptions: [], messages: [], recentMessageIds: [] };
}
