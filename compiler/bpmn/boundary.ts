import type { FlowNode } from 'bpmn-moddle';
import type { FlowElement } from '../../schema/graph.ts';
import { type CompileProblem, type Report, reporter } from '../errors.ts';
import type { ElementBase, ElementContext } from './elements.ts';
import { compileEventDefinition, definitionKind, definitionsOf } from './event-definitions.ts';
import { bpmnType } from './validate.ts';

/**
 * A boundary event lives in its activity's scope and has no incoming flow. `cancelActivity`
 * decides whether it interrupts; an error boundary event always does, as in Zeebe.
 */
export function compileBoundaryEvent(
  node: FlowNode,
  base: ElementBase,
  report: Report,
  { flagged }: ElementContext,
): FlowElement | undefined {
  const attachedTo = node.attachedToRef?.id;
  if (attachedTo === undefined && !flagged.has(node.id ?? '')) report('needs an attachedToRef');
  const [first] = definitionsOf(node);
  const interrupting =
    node.cancelActivity !== false || (first !== undefined && definitionKind(first) === 'error');
  const compiled = compileEventDefinition(
    node,
    interrupting ? 'interruptingBoundary' : 'nonInterruptingBoundary',
    report,
  );
  if (compiled && !compiled.definition) report('a boundary event needs an event definition');
  const trigger = compiled?.definition;
  if (attachedTo === undefined || !trigger) return undefined;
  return { ...base, kind: 'boundaryEvent', attachedTo, trigger, interrupting };
}

/** Lists each boundary event of a scope on its activity, which must be an activity of the same scope. */
export function attachBoundaryEvents(
  scopeElements: readonly FlowElement[],
  nodeIds: ReadonlySet<string>,
  problems: CompileProblem[],
): void {
  const byId = new Map(scopeElements.map((element) => [element.id, element]));
  for (const event of scopeElements) {
    if (event.kind !== 'boundaryEvent') continue;
    const report = reporter(problems, { id: event.id, type: 'bpmn:BoundaryEvent' });
    const activity = byId.get(event.attachedTo);
    if (!nodeIds.has(event.attachedTo)) {
      report(`attachedToRef "${event.attachedTo}" is not an activity of the same scope`);
    } else if (activity && 'boundaryEvents' in activity) {
      activity.boundaryEvents.push(event.id);
    } else if (activity) {
      report(`is attached to ${bpmnType(activity)} "${activity.id}", which is not an activity`);
    }
  }
}
