import type { FlowElement, ProcessGraph } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import { evaluateCondition, FeelError } from '../feel.ts';
import { RunIncident } from './incident.ts';

/**
 * The sequence flows a token takes when it leaves `element`, following Zeebe: an exclusive
 * gateway takes the first flow whose condition is true, else its default, else it is an
 * incident; every other element takes all its outgoing flows.
 */
export function selectOutgoing(graph: ProcessGraph, element: FlowElement, variables: Variables): string[] {
  if (element.kind !== 'exclusiveGateway' || element.outgoing.length <= 1) return element.outgoing;
  const chosen = element.outgoing.find((flowId) => {
    const condition = graph.flows[flowId]?.condition;
    return (
      flowId !== element.defaultFlow &&
      condition !== undefined &&
      conditionHolds(element, condition, variables)
    );
  });
  const taken = chosen ?? element.defaultFlow;
  if (taken === undefined) {
    throw new RunIncident(
      element.id,
      'no outgoing sequence flow has a true condition and there is no default flow',
    );
  }
  return [taken];
}

function conditionHolds(element: FlowElement, condition: string, variables: Variables): boolean {
  try {
    return evaluateCondition(condition, variables);
  } catch (error) {
    if (error instanceof FeelError) throw new RunIncident(element.id, error.message);
    throw error;
  }
}
