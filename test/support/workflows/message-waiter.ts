import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../../activities/index.ts';
import type {
  MessageDelivery,
  MessageSubscription,
  PublishMessageRequest,
} from '../../../schema/messages.ts';
import { deliverMessageSignal } from '../../../workflows/definitions.ts';

const messaging = proxyActivities<SwarmflowActivities>({ startToCloseTimeout: '10 seconds' });

export const deliveriesQuery = defineQuery<MessageDelivery[]>('deliveries');
export const stopWaitingSignal = defineSignal('stopWaiting');
export const finishSignal = defineSignal('finish');

/** Stands in for a run at a message catch event: subscribes, collects deliveries, unsubscribes when told. */
export async function messageWaiterWorkflow(subscription: MessageSubscription): Promise<MessageDelivery[]> {
  const deliveries: MessageDelivery[] = [];
  let waiting = true;
  let finished = false;
  setHandler(deliverMessageSignal, (delivery) => void deliveries.push(delivery));
  setHandler(deliveriesQuery, () => deliveries);
  setHandler(stopWaitingSignal, () => {
    waiting = false;
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  await messaging.subscribeToMessage(subscription);
  await condition(() => !waiting || finished);
  await messaging.unsubscribeFromMessage(subscription);
  await condition(() => finished);
  return deliveries;
}

/** Stands in for a run at a message throw event. */
export async function messagePublisherWorkflow(
  request: PublishMessageRequest,
): Promise<{ messageId: string }> {
  return messaging.publishMessage(request);
}
