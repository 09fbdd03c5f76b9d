import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { activityBase } from './activities.ts';
import type { ElementBase, ElementContext } from './elements.ts';

/**
 * An embedded sub-process, or with `triggeredByEvent` an event sub-process. Its content is
 * compiled first (see compileScope); `inner` says where its tokens start.
 */
export function compileSubProcess(
  node: FlowNode,
  base: ElementBase,
  report: Report,
  { inner }: ElementContext,
): FlowElement | undefined {
  if (!node.triggeredByEvent) {
    const activity = activityBase(node, base, report);
    return inner && { ...activity, kind: 'subProcess', ...inner };
  }
  if (node.loopCharacteristics) report('an event sub-process cannot be multi-instance');
  if (node.isForCompensation) report('compensation activities (isForCompensation) are not supported');
  return inner && { ...base, kind: 'eventSubProcess', startId: inner.startId };
}
