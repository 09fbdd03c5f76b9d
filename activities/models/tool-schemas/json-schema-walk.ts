/** Small helpers over JSON Schema values. Pure code, no I/O. */
import type { JsonSchema } from './types.ts';

export function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The target of a local `$ref` (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer), or undefined. */
export function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isSchemaObject(node)) return undefined;
    node = node[key];
  }
  return isSchemaObject(node) ? node : undefined;
}

/** Follows `$ref`s (only a bare one, or one with annotations beside it) to the schema they name. */
export function deref(root: JsonSchema, schema: JsonSchema, seen = new Set<string>()): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || seen.has(ref)) return schema;
  const target = resolveRef(root, ref);
  if (!target) return schema;
  seen.add(ref);
  const { $ref: _ref, ...siblings } = schema;
  return deref(root, { ...target, ...siblings }, seen);
}

/** The `type` keyword as a list (empty when absent). */
export function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((entry): entry is string => typeof entry === 'string') : [];
}

export function isObjectSchema(schema: JsonSchema): boolean {
  const types = typesOf(schema);
  return types.includes('object') || (types.length === 0 && isSchemaObject(schema.properties));
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isSchemaObject(properties)) return {};
  return Object.fromEntries(
    Object.entries(properties).map(([name, value]) => [name, isSchemaObject(value) ? value : {}]),
  );
}

export function requiredOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : [];
}

/** Whether a value of `null` can satisfy `schema` (as far as its type, enum, const and unions say). */
export function allowsNull(root: JsonSchema, schema: unknown, seen = new Set<string>()): boolean {
  if (schema === true) return true;
  if (!isSchemaObject(schema)) return false;
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return false;
    const target = resolveRef(root, schema.$ref);
    if (target && !allowsNull(root, target, new Set([...seen, schema.$ref]))) return false;
  }
  if ('const' in schema && schema.const !== null) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
  const types = typesOf(schema);
  if (types.length > 0 && !types.includes('null')) return false;
  for (const union of ['anyOf', 'oneOf'] as const) {
    const variants = schema[union];
    if (Array.isArray(variants) && !variants.some((variant) => allowsNull(root, variant, seen))) return false;
  }
  return true;
}

/** A deep copy of a JSON value, so that rewriting never touches the caller's schema. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
