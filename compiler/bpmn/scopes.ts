import type { FlowElementsContainer, FlowNode, ModdleElement } from 'bpmn-moddle';
import type { FlowElement, SequenceFlow } from '../../schema/graph.ts';
import { type CompileProblem, reporter } from '../errors.ts';
import { attachBoundaryEvents } from './boundary.ts';
import {
  ELEMENT_RULES,
  type ElementBase,
  type ElementContext,
  IGNORED_ELEMENTS,
  REJECTED_ELEMENTS,
  type ScopeEntry,
  type ScopeKind,
} from './elements.ts';
import { definitionsOf } from './event-definitions.ts';
import { checkExtensions } from './extensions.ts';
import { compileFlows } from './flows.ts';
import { withMappings } from './mappings.ts';

export interface CompiledScope {
  /** the scope's elements, each sub-process followed by the elements of its own scope */
  elements: Record<string, FlowElement>;
  /** the flows of this scope and of the scopes inside it */
  flows: Record<string, SequenceFlow>;
  /** where the scope's tokens start; undefined when its start events are wrong */
  entry?: ScopeEntry;
}

type IdentifiedNode = FlowNode & { readonly id: string };

/**
 * Compiles a process, sub-process or event sub-process (`scopeId` names it) and, depth first,
 * every scope inside it. Each element records its scope; flows never leave one.
 */
export function compileScope(
  container: FlowElementsContainer,
  scopeId: string,
  kind: ScopeKind,
  flagged: ReadonlySet<string>,
  problems: CompileProblem[],
): CompiledScope {
  const nodes = flowNodes(container, problems);
  const nodeIds = new Set(nodes.map((node) => node.id));
  const flows = compileFlows(container, nodeIds, flagged, problems);
  const ownFlows = Object.values(flows);
  const scope: CompiledScope = { elements: {}, flows: { ...flows } };
  const own: FlowElement[] = [];
  for (const node of nodes) {
    const innerKind = node.triggeredByEvent ? 'eventSubProcess' : 'subProcess';
    const inner =
      node.$type === 'bpmn:SubProcess'
        ? compileScope(node, node.id, innerKind, flagged, problems)
        : undefined;
    const context = { scopeKind: kind, ...(inner?.entry ? { inner: inner.entry } : {}), flagged };
    const element = compileNode(node, elementBase(node, scopeId, ownFlows), context, problems);
    if (element) {
      scope.elements[node.id] = element;
      own.push(element);
    }
    if (inner) {
      Object.assign(scope.elements, inner.elements);
      Object.assign(scope.flows, inner.flows);
    }
  }
  attachBoundaryEvents(own, nodeIds, problems);
  const entry = scopeEntry(container, scopeId, kind, nodes, problems);
  return entry ? { ...scope, entry } : scope;
}

function compileNode(
  node: IdentifiedNode,
  base: ElementBase,
  context: ElementContext,
  problems: CompileProblem[],
): FlowElement | undefined {
  const report = reporter(problems, { id: node.id, type: node.$type });
  const rule = ELEMENT_RULES[node.$type];
  if (!rule) {
    report(REJECTED_ELEMENTS[node.$type] ?? 'not supported');
    return undefined;
  }
  checkExtensions(
    node,
    rule.mappings === 'none' ? rule.extensions : [...rule.extensions, 'zeebe:IoMapping'],
    report,
  );
  return rule.compile(node, withMappings(node, base, rule.mappings, report), report, context);
}

function elementBase(node: IdentifiedNode, scopeId: string, flows: readonly SequenceFlow[]): ElementBase {
  return {
    id: node.id,
    ...(node.name === undefined ? {} : { name: node.name }),
    scope: scopeId,
    incoming: flows.filter((flow) => flow.target === node.id).map((flow) => flow.id),
    outgoing: flows.filter((flow) => flow.source === node.id).map((flow) => flow.id),
    inputs: [],
    outputs: [],
  };
}

/** The container's flow nodes: its flow elements but sequence flows and ignored data elements. */
function flowNodes(container: FlowElementsContainer, problems: CompileProblem[]): IdentifiedNode[] {
  const nodes = (container.flowElements ?? []).filter(
    (element) => element.$type !== 'bpmn:SequenceFlow' && !IGNORED_ELEMENTS.has(element.$type),
  );
  for (const node of nodes) {
    if (node.id === undefined) problems.push({ elementType: node.$type, message: 'has no id' });
  }
  return nodes.filter(hasId);
}

function hasId(node: ModdleElement): node is IdentifiedNode {
  return node.id !== undefined;
}

/**
 * Where a scope starts: a run starts a process at its none start event, else at its first start
 * event; a sub-process at its one (none) start event; an event sub-process at its one start event.
 */
function scopeEntry(
  container: FlowElementsContainer,
  scopeId: string,
  kind: ScopeKind,
  nodes: readonly IdentifiedNode[],
  problems: CompileProblem[],
): ScopeEntry | undefined {
  const starts = nodes.filter((node) => node.$type === 'bpmn:StartEvent');
  const eventSubProcesses = nodes.filter((node) => node.$type === 'bpmn:SubProcess' && node.triggeredByEvent);
  const problem = startProblem(kind, starts, eventSubProcesses);
  if (problem) {
    reporter(problems, { id: scopeId, type: container.$type })(problem);
    return undefined;
  }
  const start = starts.find(isNoneEvent) ?? starts[0];
  return start && { startId: start.id, eventSubProcesses: eventSubProcesses.map((node) => node.id) };
}

function startProblem(
  kind: ScopeKind,
  starts: readonly IdentifiedNode[],
  eventSubProcesses: readonly IdentifiedNode[],
): string | undefined {
  switch (kind) {
    case 'process': {
      const noneStarts = starts.filter(isNoneEvent);
      if (starts.length === 0) return 'needs a start event';
      return noneStarts.length > 1
        ? `can have only one none start event, found ${listed(noneStarts)}`
        : undefined;
    }
    case 'subProcess':
      return starts.length === 1
        ? undefined
        : `a sub-process needs exactly one start event, found ${listed(starts)}`;
    case 'eventSubProcess':
      if (starts.length !== 1) {
        return `an event sub-process needs exactly one start event, found ${listed(starts)}`;
      }
      return eventSubProcesses.length > 0
        ? 'an event sub-process cannot contain event sub-processes'
        : undefined;
  }
}

function isNoneEvent(node: FlowNode): boolean {
  return definitionsOf(node).length === 0;
}

/** `2: "a", "b"` */
function listed(nodes: readonly IdentifiedNode[]): string {
  return nodes.length === 0 ? '0' : `${nodes.length}: ${nodes.map((node) => `"${node.id}"`).join(', ')}`;
}
