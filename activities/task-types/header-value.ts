import type { JsonValue, Variables } from '../../schema/json.ts';
import { evaluateFeel } from '../../workflows/feel.ts';

/** A task header's value: FEEL when it starts with `=` (as Zeebe writes expressions), else the text itself. */
export function headerValue(value: string, variables: Variables): JsonValue {
  return value.startsWith('=') ? evaluateFeel(value.slice(1), variables) : value;
}
