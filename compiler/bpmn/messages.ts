import type { Message, ZeebeSubscription } from 'bpmn-moddle';
import type { MessageDefinition } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';

/**
 * The message an event or receive task refers to: its name and, where a run subscribes to it,
 * the correlation key from the message's zeebe:subscription. Either may be static (stored as
 * a FEEL string) or an `=` expression.
 */
export function compileMessage(
  message: Message | undefined,
  correlated: boolean,
  report: Report,
): MessageDefinition | undefined {
  if (!message) {
    report('needs a messageRef to a message');
    return undefined;
  }
  const name = message.name?.trim();
  if (!name) report(`message "${message.id}" has no name`);
  if (!correlated)
    return name ? { kind: 'message', name: zeebeValue(name, 'message name', report) } : undefined;
  const key = findExtension<ZeebeSubscription>(message, 'zeebe:Subscription', report)?.correlationKey?.trim();
  if (!key) report(`message "${message.id}" needs a zeebe:subscription with a correlationKey`);
  if (!name || !key) return undefined;
  return {
    kind: 'message',
    name: zeebeValue(name, 'message name', report),
    correlationKey: zeebeValue(key, 'correlationKey', report),
  };
}
