import type { Variables } from '../../schema/json.ts';
import type { MessageDelivery, MessageSubscription } from '../../schema/messages.ts';
import type { MailboxCommand, PublishedMessage } from './definitions.ts';

/** A message kept for runs that subscribe before it expires. */
export interface BufferedMessage {
  messageId: string;
  variables: Variables;
  /** Workflow time (ms since the epoch) from which late subscribers no longer get it. */
  expiresAt: number;
  /** The processes (else runs) it was handed to: as in Zeebe, each process gets it once. */
  deliveredTo: string[];
}

/** Everything a mailbox knows; it is the continue-as-new argument, so it stays plain JSON. */
export interface MailboxState {
  name: string;
  correlationKey: string;
  subscriptions: MessageSubscription[];
  messages: BufferedMessage[];
  /** Ids of the latest messages published here, buffered or not, so that a repeat is dropped. */
  recentMessageIds: string[];
}

/** A delivery the workflow still has to signal to `workflowId`. */
export interface OutgoingDelivery {
  workflowId: string;
  delivery: MessageDelivery;
}

const recentMessageIdLimit = 1_000;

/**
 * The correlation rules of one message name and correlation key, free of Temporal: a message
 * goes at once to the subscribed runs, and to later subscribers until it expires, but to one
 * subscription per BPMN process, as in Zeebe. Deliveries queue in an outbox the workflow drains.
 */
export class Mailbox {
  private outbox: OutgoingDelivery[] = [];

  constructor(private readonly state: MailboxState) {}

  apply(command: MailboxCommand, now: number): void {
    if (command.kind === 'publish') this.publish(command.message, now);
    else if (command.kind === 'subscribe') this.subscribe(command.subscription, now);
    else this.unsubscribe(command.subscription.subscriptionId);
  }

  publish(message: PublishedMessage, now: number): void {
    if (this.isRepeat(message.messageId)) return;
    this.remember(message.messageId);
    const buffered = {
      messageId: message.messageId,
      variables: message.variables,
      expiresAt: now + message.ttlMs,
      deliveredTo: [],
    };
    this.state.subscriptions = this.state.subscriptions.filter(
      (subscription) => !(this.offer(buffered, subscription) && isSingleUse(subscription)),
    );
    if (message.ttlMs > 0) this.state.messages.push(buffered);
  }

  /** Adds a subscription (a repeat of one is ignored) and hands it the buffered messages it has not had. */
  subscribe(subscription: MessageSubscription, now: number): void {
    if (this.state.subscriptions.some((s) => s.subscriptionId === subscription.subscriptionId)) return;
    this.expire(now);
    for (const message of this.state.messages) {
      if (this.offer(message, subscription) && isSingleUse(subscription)) return;
    }
    this.state.subscriptions.push(subscription);
  }

  unsubscribe(subscriptionId: string): void {
    this.state.subscriptions = this.state.subscriptions.filter((s) => s.subscriptionId !== subscriptionId);
  }

  /** Forgets every subscription of a run that no longer exists. */
  dropSubscriber(workflowId: string): void {
    this.state.subscriptions = this.state.subscriptions.filter((s) => s.workflowId !== workflowId);
  }

  expire(now: number): void {
    this.state.messages = this.state.messages.filter((m) => m.expiresAt > now);
  }

  /** When the next buffered message expires, or undefined when none is buffered. */
  nextExpiry(): number | undefined {
    const times = this.state.messages.map((m) => m.expiresAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  takeOutbox(): OutgoingDelivery[] {
    const taken = this.outbox;
    this.outbox = [];
    return taken;
  }

  /** Nothing to deliver, nobody subscribed, nothing buffered: the mailbox may end. */
  isIdle(): boolean {
    return (
      this.outbox.length === 0 && this.state.subscriptions.length === 0 && this.state.messages.length === 0
    );
  }

  /** A copy of the state (structuredClone is not in every workflow sandbox). */
  snapshot(): MailboxState {
    return JSON.parse(JSON.stringify(this.state)) as MailboxState;
  }

  private isRepeat(messageId: string): boolean {
    return (
      this.state.recentMessageIds.includes(messageId) ||
      this.state.messages.some((m) => m.messageId === messageId)
    );
  }

  private remember(messageId: string): void {
    this.state.recentMessageIds.push(messageId);
    if (this.state.recentMessageIds.length > recentMessageIdLimit) this.state.recentMessageIds.shift();
  }

  /** Hands the message to the subscription unless its process (else run) had it; true when handed. */
  private offer(message: BufferedMessage, subscription: MessageSubscription): boolean {
    const receiver = subscription.processKey ?? subscription.workflowId;
    if (message.deliveredTo.includes(receiver)) return false;
    message.deliveredTo.push(receiver);
    this.outbox.push({
      workflowId: subscription.workflowId,
      delivery: {
        subscriptionId: subscription.subscriptionId,
        messageId: message.messageId,
        name: this.state.name,
        correlationKey: this.state.correlationKey,
        variables: message.variables,
      },
    });
    return true;
  }
}

/** A BPMN catch (it names its process) is correlated once, as in Zeebe: its subscription closes. */
function isSingleUse(subscription: MessageSubscription): boolean {
  return subscription.processKey !== undefined;
}
