import type { JsonValue, Variables } from '../../schema/json.ts';
import { evaluateCondition, evaluateFeel, FeelError } from '../feel.ts';
import { RunIncident } from './incident.ts';

/** Evaluates FEEL for an element; a failure is an incident on that element. */
export function evaluateAt(elementId: string, expression: string, variables: Variables): JsonValue {
  return atElement(elementId, () => evaluateFeel(expression, variables));
}

/** A FEEL condition for an element: only `true` holds; a failure is an incident on that element. */
export function conditionAt(elementId: string, expression: string, variables: Variables): boolean {
  return atElement(elementId, () => evaluateCondition(expression, variables));
}

function atElement<T>(elementId: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof FeelError) throw new RunIncident(elementId, error.message);
    throw error;
  }
}
