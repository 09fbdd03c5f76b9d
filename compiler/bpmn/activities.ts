import type { FlowNode } from 'bpmn-moddle';
import type { MultiInstance } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';
import { compileMultiInstance } from './multi-instance.ts';

/** What every activity adds to an element: boundary events (attached later) and multi-instance. */
export interface ActivityBase extends ElementBase {
  boundaryEvents: string[];
  multiInstance?: MultiInstance;
}

export function activityBase(node: FlowNode, base: ElementBase, report: Report): ActivityBase {
  if (node.isForCompensation) report('compensation activities (isForCompensation) are not supported');
  if (node.default) report(`a default flow out of an activity ("${node.default.id}") is not supported yet`);
  const multiInstance = node.loopCharacteristics && compileMultiInstance(node.loopCharacteristics, report);
  return { ...base, boundaryEvents: [], ...(multiInstance ? { multiInstance } : {}) };
}
