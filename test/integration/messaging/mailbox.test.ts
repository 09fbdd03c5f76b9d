import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { subscribeToMailbox } from '../../../activities/messaging/mailboxes.ts';
import type { MessageSubscription } from '../../../schema/messages.ts';
import {
  emptyMailbox,
  mailboxStateQuery,
  mailboxWorkflowId,
} from '../../../workflows/mailbox/definitions.ts';
import type { MailboxState } from '../../../workflows/mailbox/mailbox.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import {
  deliveriesQuery,
  finishSignal,
  messagePublisherWorkflow,
  messageWaiterWorkflow,
  stopWaitingSignal,
} from '../../support/workflows/message-waiter.ts';
import { startMessagingWorker } from '../../support/workflows/worker.ts';

let stack: TestStack;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  stack = await startTestStack();
  worker = await startMessagingWorker(stack);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

const waitOptions = { timeout: 15_000, interval: 100 };

/** A message name of the test's own, so tests never share a mailbox. */
const uniqueName = () => `order-${randomUUID()}`;

const mailbox = (name: string, key: string) =>
  stack.client.temporal.workflow.getHandle(mailboxWorkflowId(name, key));

const mailboxState = (name: string, key: string): Promise<MailboxState> =>
  mailbox(name, key).query(mailboxStateQuery);

/** Starts a stand-in run that subscribes to name + key, and waits until the mailbox has the subscription. */
async function subscribedWaiter(name: string, correlationKey: string) {
  const id = randomUUID();
  const subscription = { subscriptionId: `sub-${id}`, workflowId: `waiter/${id}`, name, correlationKey };
  const handle = await stack.client.temporal.workflow.start(messageWaiterWorkflow, {
    workflowId: subscription.workflowId,
    taskQueue: stack.config.taskQueue,
    args: [subscription],
  });
  await vi.waitFor(async () => {
    const state = await mailboxState(name, correlationKey);
    expect(state.subscriptions.map((s) => s.subscriptionId)).toContain(subscription.subscriptionId);
  }, waitOptions);
  return handle;
}

const deliveries = (waiter: WorkflowHandle) => waiter.query(deliveriesQuery);

async function expectDeliveredIds(waiter: WorkflowHandle, ids: string[]): Promise<void> {
  await vi.waitFor(async () => {
    expect((await deliveries(waiter)).map((d) => d.messageId)).toEqual(ids);
  }, waitOptions);
}

describe('message mailbox', () => {
  it('delivers a message to the run waiting on its name and key', async () => {
    const name = uniqueName();
    const waiter = await subscribedWaiter(name, 'order-1');
    const { messageId } = await stack.client.publishMessage({
      name,
      correlationKey: 'order-1',
      variables: { paid: true },
    });
    await expectDeliveredIds(waiter, [messageId]);
    expect(await deliveries(waiter)).toEqual([
      {
        subscriptionId: expect.stringMatching(/^sub-/),
        messageId,
        name,
        correlationKey: 'order-1',
        variables: { paid: true },
      },
    ]);
  });

  it('keeps correlation keys apart', async () => {
    const name = uniqueName();
    const waiter = await subscribedWaiter(name, 'key/with spaces');
    await stack.client.publishMessage({ name, correlationKey: 'other-key', variables: {} });
    const { messageId } = await stack.client.publishMessage({ name, correlationKey: 'key/with spaces' });
    await expectDeliveredIds(waiter, [messageId]);
    expect(mailbox(name, 'key/with spaces').workflowId).toBe(
      `message/${encodeURIComponent(name)}/key%2Fwith%20spaces`,
    );
  });

  it('buffers a message until a run subscribes late', async () => {
    const name = uniqueName();
    const { messageId } = await stack.client.publishMessage({
      name,
      correlationKey: 'k',
      variables: { n: 1 },
    });
    expect((await mailboxState(name, 'k')).messages.map((m) => m.messageId)).toEqual([messageId]);
    const late = await subscribedWaiter(name, 'k');
    await expectDeliveredIds(late, [messageId]);
  });

  it('forgets a message when its time to live ends, and then completes', async () => {
    const name = uniqueName();
    const publishedAt = Date.now();
    await stack.client.publishMessage({ name, correlationKey: 'k', ttlMs: 1_000 });
    await mailbox(name, 'k').result();
    expect(Date.now() - publishedAt).toBeGreaterThanOrEqual(1_000);
    const late = await subscribedWaiter(name, 'k');
    expect((await mailboxState(name, 'k')).messages).toEqual([]);
    expect(await deliveries(late)).toEqual([]);
  });

  it('drops a message with no time to live that nobody waits for', async () => {
    const name = uniqueName();
    await stack.client.publishMessage({ name, correlationKey: 'k', ttlMs: 0 });
    await mailbox(name, 'k').result();
    const late = await subscribedWaiter(name, 'k');
    expect(await deliveries(late)).toEqual([]);
  });

  it('delivers the same message id once, to present and late runs alike', async () => {
    const name = uniqueName();
    const early = await subscribedWaiter(name, 'k');
    await stack.client.publishMessage({ name, correlationKey: 'k', messageId: 'once' });
    await stack.client.publishMessage({
      name,
      correlationKey: 'k',
      messageId: 'once',
      variables: { again: 1 },
    });
    await stack.client.publishMessage({ name, correlationKey: 'k', messageId: 'marker' });
    await expectDeliveredIds(early, ['once', 'marker']);
    const late = await subscribedWaiter(name, 'k');
    await expectDeliveredIds(late, ['once', 'marker']);
    expect((await deliveries(late))[0]?.variables).toEqual({});
  });

  it('delivers to every subscribed run', async () => {
    const name = uniqueName();
    const first = await subscribedWaiter(name, 'k');
    const second = await subscribedWaiter(name, 'k');
    const { messageId } = await stack.client.publishMessage({ name, correlationKey: 'k', ttlMs: 0 });
    await expectDeliveredIds(first, [messageId]);
    await expectDeliveredIds(second, [messageId]);
  });

  it('stops delivering to a run that unsubscribed', async () => {
    const name = uniqueName();
    const leaving = await subscribedWaiter(name, 'k');
    const staying = await subscribedWaiter(name, 'k');
    await leaving.signal(stopWaitingSignal);
    await vi.waitFor(async () => {
      const state = await mailboxState(name, 'k');
      expect(state.subscriptions.map((s) => s.workflowId)).toEqual([staying.workflowId]);
    }, waitOptions);
    const { messageId } = await stack.client.publishMessage({ name, correlationKey: 'k' });
    await expectDeliveredIds(staying, [messageId]);
    expect(await deliveries(leaving)).toEqual([]);
  });

  it('completes once its last run unsubscribes and nothing is buffered', async () => {
    const name = uniqueName();
    const waiter = await subscribedWaiter(name, 'k');
    await waiter.signal(stopWaitingSignal);
    await expect(mailbox(name, 'k').result()).resolves.toBeUndefined();
    await waiter.signal(finishSignal);
    expect(await waiter.result()).toEqual([]);
  });

  it('forgets a subscriber whose run no longer exists', async () => {
    const name = uniqueName();
    const ghost: MessageSubscription = {
      subscriptionId: 'ghost',
      workflowId: `gone/${randomUUID()}`,
      name,
      correlationKey: 'k',
    };
    await subscribeToMailbox({ temporal: stack.client.temporal, taskQueue: stack.config.taskQueue }, ghost);
    await stack.client.publishMessage({ name, correlationKey: 'k', ttlMs: 0 });
    await expect(mailbox(name, 'k').result()).resolves.toBeUndefined();
  });

  it('carries its subscriptions and buffered messages across continue-as-new', async () => {
    const name = uniqueName();
    const handle = await stack.client.temporal.workflow.start('messageMailboxWorkflow', {
      workflowId: mailboxWorkflowId(name, 'k'),
      taskQueue: stack.config.taskQueue,
      args: [{ state: emptyMailbox(name, 'k'), maxHistoryEvents: 10 }],
    });
    const early = await subscribedWaiter(name, 'k');
    const ids = Array.from({ length: 6 }, (_, i) => `m${i}`);
    for (const messageId of ids) {
      await stack.client.publishMessage({ name, correlationKey: 'k', messageId });
    }
    await expectDeliveredIds(early, ids);
    const { runId } = await mailbox(name, 'k').describe();
    expect(runId).not.toBe(handle.firstExecutionRunId);
    const late = await subscribedWaiter(name, 'k');
    await expectDeliveredIds(late, ids);
  });

  it('takes messages that runs publish through the activity', async () => {
    const name = uniqueName();
    const waiter = await subscribedWaiter(name, 'k');
    const publisher = await stack.client.temporal.workflow.start(messagePublisherWorkflow, {
      workflowId: `publisher/${randomUUID()}`,
      taskQueue: stack.config.taskQueue,
      args: [{ name, correlationKey: 'k', variables: { from: 'run' } }],
    });
    const { messageId } = await publisher.result();
    expect(messageId).toMatch(/^[\w-]+\/\d+$/);
    await expectDeliveredIds(waiter, [messageId]);
  });
});
