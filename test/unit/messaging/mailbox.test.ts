import { describe, expect, it } from 'vitest';
import type { MessageSubscription } from '../../../schema/messages.ts';
import { emptyMailbox, type PublishedMessage } from '../../../workflows/mailbox/definitions.ts';
import { Mailbox } from '../../../workflows/mailbox/mailbox.ts';

const subscription = (run: string, subscriptionId = `${run}-sub`): MessageSubscription => ({
  subscriptionId,
  workflowId: `run/${run}`,
  name: 'paid',
  correlationKey: 'order-1',
});

const message = (messageId: string, overrides: Partial<PublishedMessage> = {}): PublishedMessage => ({
  name: 'paid',
  correlationKey: 'order-1',
  variables: { messageId },
  ttlMs: 1_000,
  messageId,
  ...overrides,
});

/** The outbox as "workflow id: message id" pairs. */
const delivered = (mailbox: Mailbox) =>
  mailbox.takeOutbox().map(({ workflowId, delivery }) => `${workflowId}: ${delivery.messageId}`);

const newMailbox = () => new Mailbox(emptyMailbox('paid', 'order-1'));

describe('Mailbox', () => {
  it('hands a message to every subscribed run, naming the subscription', () => {
    const mailbox = newMailbox();
    mailbox.subscribe(subscription('a'), 0);
    mailbox.subscribe(subscription('b'), 0);
    mailbox.publish(message('m1'), 0);
    const outbox = mailbox.takeOutbox();
    expect(outbox.map((o) => o.workflowId)).toEqual(['run/a', 'run/b']);
    expect(outbox[0]?.delivery).toEqual({
      subscriptionId: 'a-sub',
      messageId: 'm1',
      name: 'paid',
      correlationKey: 'order-1',
      variables: { messageId: 'm1' },
    });
    expect(mailbox.takeOutbox()).toEqual([]);
  });

  it('buffers a message for late runs until it expires, each run getting it once', () => {
    const mailbox = newMailbox();
    mailbox.publish(message('m1'), 0);
    mailbox.publish(message('m2'), 500);
    mailbox.subscribe(subscription('a'), 900);
    expect(delivered(mailbox)).toEqual(['run/a: m1', 'run/a: m2']);
    mailbox.subscribe(subscription('a', 'again'), 950);
    expect(delivered(mailbox)).toEqual([]);
    mailbox.subscribe(subscription('b'), 1_000);
    expect(delivered(mailbox)).toEqual(['run/b: m2']);
    expect(mailbox.nextExpiry()).toBe(1_500);
  });

  it('drops a message without time to live once the present runs have it', () => {
    const mailbox = newMailbox();
    mailbox.publish(message('m1', { ttlMs: 0 }), 0);
    expect(mailbox.isIdle()).toBe(true);
    mailbox.subscribe(subscription('a'), 0);
    mailbox.publish(message('m2', { ttlMs: 0 }), 0);
    mailbox.subscribe(subscription('b'), 0);
    expect(delivered(mailbox)).toEqual(['run/a: m2']);
    expect(mailbox.nextExpiry()).toBeUndefined();
  });

  it('ignores a message id it has seen, buffered or not', () => {
    const mailbox = newMailbox();
    mailbox.subscribe(subscription('a'), 0);
    mailbox.publish(message('m1', { ttlMs: 0 }), 0);
    mailbox.publish(message('m1', { ttlMs: 0 }), 0);
    mailbox.publish(message('m2'), 0);
    mailbox.publish(message('m2', { variables: { changed: true } }), 10);
    expect(delivered(mailbox)).toEqual(['run/a: m1', 'run/a: m2']);
    expect(mailbox.snapshot().messages.map((m) => m.variables)).toEqual([{ messageId: 'm2' }]);
  });

  it('remembers a bounded number of message ids', () => {
    const mailbox = newMailbox();
    for (let i = 0; i < 1_001; i++) mailbox.publish(message(`m${i}`, { ttlMs: 0 }), 0);
    const { recentMessageIds } = mailbox.snapshot();
    expect(recentMessageIds).toHaveLength(1_000);
    expect(recentMessageIds[0]).toBe('m1');
  });

  it('stops handing messages to a subscription that ended or a run that is gone', () => {
    const mailbox = newMailbox();
    mailbox.subscribe(subscription('a'), 0);
    mailbox.subscribe(subscription('b'), 0);
    mailbox.subscribe(subscription('c'), 0);
    mailbox.unsubscribe('a-sub');
    mailbox.dropSubscriber('run/b');
    mailbox.publish(message('m1'), 0);
    expect(delivered(mailbox)).toEqual(['run/c: m1']);
  });

  it('is idle only with nothing subscribed, buffered or waiting to go out', () => {
    const mailbox = newMailbox();
    expect(mailbox.isIdle()).toBe(true);
    mailbox.subscribe(subscription('a'), 0);
    mailbox.publish(message('m1'), 0);
    mailbox.unsubscribe('a-sub');
    expect(mailbox.isIdle()).toBe(false);
    mailbox.takeOutbox();
    expect(mailbox.isIdle()).toBe(false);
    mailbox.expire(1_000);
    expect(mailbox.isIdle()).toBe(true);
  });

  it('applies commands as they come', () => {
    const mailbox = newMailbox();
    mailbox.apply({ kind: 'publish', message: message('m1', { ttlMs: 0 }) }, 0);
    mailbox.apply({ kind: 'subscribe', subscription: subscription('a') }, 0);
    mailbox.apply({ kind: 'publish', message: message('m2', { ttlMs: 0 }) }, 0);
    mailbox.apply({ kind: 'unsubscribe', subscription: subscription('a') }, 0);
    mailbox.apply({ kind: 'publish', message: message('m3', { ttlMs: 0 }) }, 0);
    expect(delivered(mailbox)).toEqual(['run/a: m2']);
  });

  it('resumes from a snapshot with what it had', () => {
    const mailbox = newMailbox();
    mailbox.subscribe(subscription('a'), 0);
    mailbox.publish(message('m1'), 0);
    const resumed = new Mailbox(mailbox.snapshot());
    resumed.publish(message('m1'), 1);
    resumed.subscribe(subscription('a', 'again'), 1);
    resumed.subscribe(subscription('b'), 1);
    expect(delivered(resumed)).toEqual(['run/b: m1']);
  });
});
