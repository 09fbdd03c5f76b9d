import type { FlowNode, ZeebeCalledElement } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import { activityBase } from './activities.ts';
import type { ElementBase } from './elements.ts';
import { zeebeValue } from './expressions.ts';
import { findExtension } from './extensions.ts';

/**
 * A call activity runs the process its zeebe:calledElement names (static or FEEL): a process of
 * the same file first, else a registered routine. Both propagation flags default to true, as in Zeebe.
 */
export function compileCallActivity(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const activity = activityBase(node, base, report);
  const called = findExtension<ZeebeCalledElement>(node, 'zeebe:CalledElement', report);
  const processId = called?.processId?.trim();
  if (!processId) {
    report('needs a zeebe:calledElement with a processId');
    return undefined;
  }
  if (called?.bindingType === 'versionTag')
    report('zeebe:calledElement bindingType "versionTag" is not supported yet');
  return {
    ...activity,
    kind: 'callActivity',
    processId: zeebeValue(processId, 'processId', report),
    propagateAllChildVariables: called?.propagateAllChildVariables ?? true,
    propagateAllParentVariables: called?.propagateAllParentVariables ?? true,
  };
}
