import type { JsonValue, Variables } from '../../schema/json.ts';

/** A deep copy of JSON data (structuredClone is not in every workflow sandbox). */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The variables of `after` that are new or different from `before`. */
export function changedVariables(before: Variables, after: Variables): Variables {
  return Object.fromEntries(
    Object.entries(after).filter(([name, value]) => JSON.stringify(before[name]) !== JSON.stringify(value)),
  );
}
