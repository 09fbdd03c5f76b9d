import { z } from 'zod';
import { Variables } from './json.ts';

/** Default time a published message waits for a subscriber (Zeebe's default TTL is one hour). */
export const DEFAULT_MESSAGE_TTL_MS = 60 * 60 * 1000;

/** `swarmflow messages publish` / `client.publishMessage`: a BPMN message for runs waiting on name + key. */
export const PublishMessageRequest = z.object({
  name: z.string().min(1),
  correlationKey: z.string().min(1),
  variables: Variables.default({}),
  ttlMs: z
    .number()
    .int()
    .min(0)
    .default(DEFAULT_MESSAGE_TTL_MS)
    .describe('how long it is buffered for a late run'),
  messageId: z.string().min(1).optional().describe('publishing the same id twice delivers it once'),
});
export type PublishMessageRequest = z.input<typeof PublishMessageRequest>;

/** A message handed to one waiting run (the payload of the run's `deliverMessage` signal). */
export const MessageDelivery = z.object({
  subscriptionId: z.string(),
  messageId: z.string(),
  name: z.string(),
  correlationKey: z.string(),
  variables: Variables,
});
export type MessageDelivery = z.infer<typeof MessageDelivery>;

/** A run asking a mailbox for the messages of one name + key (sent by an activity on the run's behalf). */
export const MessageSubscription = z.object({
  subscriptionId: z.string(),
  workflowId: z.string(),
  name: z.string(),
  correlationKey: z.string(),
  processKey: z
    .string()
    .optional()
    .describe(
      'the BPMN process the run executes: as in Zeebe, a message goes to one subscription per process',
    ),
});
export type MessageSubscription = z.infer<typeof MessageSubscription>;

/** A BPMN signal broadcast to every run waiting for its name. */
export const BroadcastSignalRequest = z.object({ name: z.string().min(1), variables: Variables.default({}) });
export type BroadcastSignalRequest = z.input<typeof BroadcastSignalRequest>;
