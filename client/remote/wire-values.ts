import type { z } from 'zod';

/**
 * A JSON answer made ready for its zod schema: JSON carries a date as an ISO string, so every
 * string where `schema` expects a `z.date()` becomes a Date. Guided by the schema only, so a
 * string in user data (run variables, outputs) that merely looks like a date stays a string.
 * Anything the schema does not describe is returned as it is, for the schema to judge.
 */
export function fromWire(schema: z.core.$ZodType, value: unknown): unknown {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'date':
      return typeof value === 'string' ? new Date(value) : value;
    case 'object': {
      if (!isRecord(value)) return value;
      const result: Record<string, unknown> = { ...value };
      for (const [key, field] of Object.entries(def.shape)) {
        if (key in value) result[key] = fromWire(field, value[key]);
      }
      return result;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => fromWire(def.element, item)) : value;
    case 'record': {
      if (!isRecord(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, fromWire(def.valueType, item)]),
      );
    }
    case 'tuple':
      if (!Array.isArray(value)) return value;
      return value.map((item, index) => {
        const itemSchema = def.items[index] ?? def.rest;
        return itemSchema ? fromWire(itemSchema, item) : item;
      });
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return value === null || value === undefined ? value : fromWire(def.innerType, value);
    case 'pipe':
      return fromWire(def.in, value);
    case 'lazy':
      return fromWire(def.getter(), value);
    case 'intersection':
      return fromWire(def.right, fromWire(def.left, value));
    case 'union':
      // The first option the revived value satisfies; JSON that fits none is left for the schema's error.
      for (const option of def.options) {
        const revived = fromWire(option, value);
        if ((option as z.ZodType).safeParse(revived).success) return revived;
      }
      return value;
    default:
      return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
