import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { MessageDelivery } from '../schema/messages.ts';
import { deliverMessageSignal } from './definitions.ts';
import { type MailboxInput, mailboxSignal, mailboxStateQuery } from './mailbox/definitions.ts';
import { Mailbox, type OutgoingDelivery } from './mailbox/mailbox.ts';

const defaultMaxHistoryEvents = 2_000;

/**
 * The mailbox of one message name and correlation key (workflow id `message/<name>/<key>`):
 * publishers and subscribers reach it with signal-with-start; it hands each message to the
 * subscribed runs, buffers it for late ones until its time to live ends, and completes once
 * nobody is subscribed and nothing is buffered.
 */
export async function messageMailboxWorkflow(input: MailboxInput): Promise<void> {
  const mailbox = new Mailbox(input.state);
  let changes = 0;
  setHandler(mailboxSignal, (command) => {
    mailbox.apply(command, Date.now());
    changes++;
  });
  setHandler(mailboxStateQuery, () => mailbox.snapshot());

  for (;;) {
    await deliverPending(mailbox);
    mailbox.expire(Date.now());
    if (mailbox.isIdle()) return;
    if (shouldContinueAsNew(input)) {
      return continueAsNew<typeof messageMailboxWorkflow>({ ...input, state: mailbox.snapshot() });
    }
    const seen = changes;
    await untilChangedOrExpiry(() => changes !== seen, mailbox.nextExpiry());
  }
}

async function deliverPending(mailbox: Mailbox): Promise<void> {
  for (let batch = mailbox.takeOutbox(); batch.length > 0; batch = mailbox.takeOutbox()) {
    await Promise.all(
      [...byRecipient(batch)].map(([workflowId, deliveries]) =>
        deliverInOrder(mailbox, workflowId, deliveries),
      ),
    );
  }
}

function byRecipient(batch: OutgoingDelivery[]): Map<string, MessageDelivery[]> {
  const groups = new Map<string, MessageDelivery[]>();
  for (const { workflowId, delivery } of batch)
    groups.set(workflowId, [...(groups.get(workflowId) ?? []), delivery]);
  return groups;
}

/** One signal after the other, so a run gets its messages in the order they were published. */
async function deliverInOrder(
  mailbox: Mailbox,
  workflowId: string,
  deliveries: MessageDelivery[],
): Promise<void> {
  const run = getExternalWorkflowHandle(workflowId);
  try {
    for (const delivery of deliveries) await run.signal(deliverMessageSignal, delivery);
  } catch {
    // The run has ended or never existed: nobody is left to deliver to.
    mailbox.dropSubscriber(workflowId);
  }
}

function shouldContinueAsNew(input: MailboxInput): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested || info.historyLength >= (input.maxHistoryEvents ?? defaultMaxHistoryEvents)
  );
}

async function untilChangedOrExpiry(changed: () => boolean, expiresAt: number | undefined): Promise<void> {
  if (expiresAt === undefined) await condition(changed);
  else await condition(changed, expiresAt - Date.now());
}
