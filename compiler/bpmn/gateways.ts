import type { FlowNode, ZeebeProperties } from 'bpmn-moddle';
import { type FlowElement, ForkBranches } from '../../schema/graph.ts';
import type { Report } from '../errors.ts';
import type { ElementBase } from './elements.ts';
import { findExtension } from './extensions.ts';

/** The zeebe:property of a parallel fork that says where its branches run. */
const FORK_BRANCHES_PROPERTY = 'swarmflow.forkBranches';

export function compileExclusiveGateway(node: FlowNode, base: ElementBase): FlowElement {
  const defaultFlow = node.default?.id;
  return { ...base, kind: 'exclusiveGateway', ...(defaultFlow === undefined ? {} : { defaultFlow }) };
}

/** Forks every flow whose condition holds and, as a join, waits for the tokens that can still arrive. */
export function compileInclusiveGateway(node: FlowNode, base: ElementBase): FlowElement {
  const defaultFlow = node.default?.id;
  return { ...base, kind: 'inclusiveGateway', ...(defaultFlow === undefined ? {} : { defaultFlow }) };
}

export function compileParallelGateway(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  const forkBranches = forkBranchesOf(node, report);
  return { ...base, kind: 'parallelGateway', ...(forkBranches === undefined ? {} : { forkBranches }) };
}

function forkBranchesOf(node: FlowNode, report: Report): ForkBranches | undefined {
  const properties = findExtension<ZeebeProperties>(node, 'zeebe:Properties', report)?.properties ?? [];
  const value = properties.find((property) => property.name === FORK_BRANCHES_PROPERTY)?.value;
  if (value === undefined) return undefined;
  const parsed = ForkBranches.safeParse(value);
  if (parsed.success) return parsed.data;
  report(`zeebe:property ${FORK_BRANCHES_PROPERTY} is "${value}"; use "run" or "childWorkflows"`);
  return undefined;
}

/** Waits for the first of the events its flows lead to; validateGraph checks those targets. */
export function compileEventBasedGateway(node: FlowNode, base: ElementBase, report: Report): FlowElement {
  if (node.instantiate)
    report('an event-based gateway that starts the process (instantiate) is not supported');
  if (node.eventGatewayType === 'Parallel') report('a parallel event-based gateway is not supported');
  return { ...base, kind: 'eventBasedGateway' };
}
