import type { JsonValue } from '../../../schema/json.ts';

/** The value at a dot path (`customer.address.city`, `items.0.sku`), or undefined when there is none. */
export function valueAt(value: JsonValue | undefined, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[Number(key)] : current[key];
  }
  return current;
}

/** Deep equality of JSON values: numbers exactly, object keys in any order, arrays in order. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]))
    );
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
}

/** A value as a reason shows it: JSON, cut to `max` characters; "missing" when there is none. */
export function shown(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Items listed in a reason, at most `max`, then how many more there were. */
export function listed(items: readonly string[], max = 5): string {
  const more = items.length > max ? `; and ${items.length - max} more` : '';
  return items.slice(0, max).join('; ') + more;
}
