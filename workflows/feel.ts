import { evaluate } from 'feelin';
import type { JsonValue } from '../schema/json.ts';

/** A FEEL expression that could not be evaluated: bad syntax, or a value that is not JSON. */
export class FeelError extends Error {
  override readonly name = 'FeelError';
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`FEEL expression "${expression}" failed: ${reason}`);
  }
}

type FeelContext = Record<string, unknown>;

/** Evaluates a FEEL expression against variables and returns a JSON value (dates become ISO strings). */
export function evaluateFeel(expression: string, context: FeelContext): JsonValue {
  let value: unknown;
  try {
    value = evaluate(expression, context).value;
  } catch (error) {
    throw new FeelError(expression, error instanceof Error ? error.message : String(error));
  }
  return toJson(expression, value);
}

/** A sequence-flow condition: only a true result takes the flow (null and false do not). */
export function evaluateCondition(expression: string, context: FeelContext): boolean {
  return evaluateFeel(expression, context) === true;
}

function toJson(expression: string, value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FeelError(expression, `result ${value} is not a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(expression, item));
  // An unbound name that matches a built-in (`product`, `count`) resolves to the function in
  // feelin; Zeebe's engine gives null for a missing variable, and so do we.
  if (typeof value === 'function') return null;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(expression, item)]));
  }
  // FEEL dates, times, durations and ranges print as their ISO / FEEL literal text.
  return String(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
