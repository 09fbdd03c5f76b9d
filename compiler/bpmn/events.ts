import type { FlowNode } from 'bpmn-moddle';
import type { EventDefinition, FlowElement, StepWork } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase, ElementContext, ScopeKind } from './elements.ts';
import {
  compileEventDefinition,
  definitionKind,
  definitionsOf,
  type EventPosition,
} from './event-definitions.ts';
import { findExtension } from './extensions.ts';
import { hasJobDefinition, jobWork } from './jobs.ts';

const START_POSITIONS: Readonly<Record<ScopeKind, EventPosition>> = {
  process: 'processStart',
  subProcess: 'subProcessStart',
  eventSubProcess: 'eventSubProcessStart',
};

export function compileStartEvent(
  node: FlowNode,
  base: ElementBase,
  report: Report,
  { scopeKind }: ElementContext,
): FlowElement | undefined {
  const compiled = compileEventDefinition(node, START_POSITIONS[scopeKind], report);
  if (!compiled) return undefined;
  const { definition } = compiled;
  if (scopeKind === 'eventSubProcess' && !definition) {
    report('the start event of an event sub-process needs a timer, message, signal, error or escalation');
    return undefined;
  }
  // As in Zeebe, an error start event always interrupts.
  const interrupting = definition?.kind === 'error' || node.isInterrupting !== false;
  return { ...base, kind: 'startEvent', ...(definition ? { trigger: definition } : {}), interrupting };
}

export function compileIntermediateCatchEvent(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const compiled = compileEventDefinition(node, 'intermediateCatch', report);
  if (compiled && !compiled.definition) report('an intermediate catch event needs an event definition');
  const trigger = compiled?.definition;
  return trigger && { ...base, kind: 'intermediateCatchEvent', trigger };
}

export function compileIntermediateThrowEvent(
  node: FlowNode,
  base: ElementBase,
  report: Report,
): FlowElement | undefined {
  const thrown = compileThrow(node, 'intermediateThrow', report);
  return thrown && { ...base, kind: 'intermediateThrowEvent', ...thrown };
}

export function compileEndEvent(node: FlowNode, base: ElementBase, report: Report): FlowElement | undefined {
  const thrown = compileThrow(node, 'end', report);
  return thrown && { ...base, kind: 'endEvent', ...thrown };
}

/**
 * What a throw or end event does: throws its definition's result, or, for a message event with
 * a zeebe:taskDefinition, runs that job instead (as Zeebe does; then there is no result).
 */
function compileThrow(
  node: FlowNode,
  position: EventPosition,
  report: Report,
): { result?: EventDefinition; work?: StepWork } | undefined {
  if (hasJobDefinition(node)) {
    const kinds = definitionsOf(node).map(definitionKind);
    if (kinds.length !== 1 || kinds[0] !== 'message') {
      report('a zeebe:taskDefinition only applies to a message event');
      return undefined;
    }
    const work = jobWork(node, report);
    return work && { work };
  }
  if (findExtension(node, 'zeebe:TaskHeaders', report))
    report('zeebe:taskHeaders need a zeebe:taskDefinition');
  const compiled = compileEventDefinition(node, position, report);
  return compiled && (compiled.definition ? { result: compiled.definition } : {});
}
