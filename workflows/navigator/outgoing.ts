import type { FlowElement, ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { evaluateCondition, FeelError } from '../feel.ts';
import { RunIncident } from './incident.ts';

const NO_FLOW = 'no outgoing sequence flow has a true condition and there is no default flow';

/**
 * The sequence flows a token takes when it leaves `element`, as Zeebe decides: an exclusive
 * gateway takes the first flow whose condition is true, an inclusive gateway every such flow;
 * either falls back to its default flow, else it is an incident. Every other element takes
 * all its outgoing flows.
 */
export function selectOutgoing(graph: ProcessGraph, element: FlowElement, variables: Variables): string[] {
  if (element.kind !== 'exclusiveGateway' && element.kind !== 'inclusiveGateway') return element.outgoing;
  const holds = (flowId: string) => {
    if (flowId === element.defaultFlow) return false;
    const condition = graph.flows[flowId]?.condition;
    return condition === undefined || conditionHolds(element, condition, variables);
  };
  const taken =
    element.kind === 'exclusiveGateway' ? element.outgoing.find(holds) : element.outgoing.filter(holds);
  const chosen = taken === undefined ? [] : [taken].flat();
  if (chosen.length > 0) return chosen;
  if (element.defaultFlow !== undefined) return [element.defaultFlow];
  throw new RunIncident(element.id, NO_FLOW);
}

function conditionHolds(element: FlowElement, condition: string, variables: Variables): boolean {
  try {
    return evaluateCondition(condition, variables);
  } catch (error) {
    if (error instanceof FeelError) throw new RunIncident(element.id, error.message);
    throw error;
  }
}
