/**
 * OpenAI strict mode (`strict: true`): rewrites an object schema into the subset Structured
 * Outputs accepts (see provider-rules.ts for the rules and their sources), or says why it cannot.
 * Pure code, no I/O; works on a copy.
 *
 * - every object gets `additionalProperties: false` and lists every property in `required`; a
 *   property that was optional becomes nullable (`type: [T, "null"]`, or anyOf with
 *   `{"type": "null"}`), and denormaliseArgs drops the nulls the tool did not allow;
 * - nested `oneOf` becomes `anyOf` and `const` becomes a one-value `enum`: both accept at least
 *   what the original did, and the tool's own validation still runs on the arguments;
 * - keywords strict mode lacks but whose loss only widens the schema are dropped (`default` is
 *   kept for the model as "Default: …" in the description): minLength, maxLength, propertyNames,
 *   minProperties, maxProperties, uniqueItems, examples, formats outside the supported set...;
 * - a `$ref` with siblings is inlined (as openai-python's `_ensure_strict_json_schema` does);
 * - what cannot be made strict without forbidding what the tool accepts is reported, and the
 *   tool is sent non-strict: a free-form object (a record, `additionalProperties` true or a
 *   schema, or an object with no properties), a value of any type, an array without `items`,
 *   allOf, not, if/then/else, patternProperties, tuples, dependentSchemas.
 */
import { isSchemaObject, resolveRef, typesOf } from './json-schema-walk.ts';
import { STRICT_FORMATS, STRICT_KEYWORDS } from './provider-rules.ts';
import type { JsonSchema } from './types.ts';

/** Keywords whose loss only widens the schema: dropped in strict mode. */
const WIDENING: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  'default',
  'examples',
  'minLength',
  'maxLength',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'uniqueItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'readOnly',
  'writeOnly',
  'deprecated',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
]);

/** Keywords that constrain in ways strict mode cannot express and dropping would change the meaning. */
const INEXPRESSIBLE: ReadonlySet<string> = new Set([
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependentRequired',
  'dependencies',
  'patternProperties',
  'prefixItems',
  'additionalItems',
  'contains',
  'minContains',
  'maxContains',
  '$dynamicRef',
  '$recursiveRef',
]);

export type StrictResult =
  | { ok: true; schema: JsonSchema; dropped: string[] }
  | { ok: false; reason: string };

class NotStrict extends Error {}

/** The strict-mode form of an object schema (the tool's parameters), or why there is none. */
export function makeStrict(parameters: JsonSchema): StrictResult {
  const dropped = new Set<string>();
  try {
    const schema = strictNode(parameters, parameters, '', true, dropped);
    return { ok: true, schema, dropped: [...dropped].sort() };
  } catch (error) {
    if (error instanceof NotStrict) return { ok: false, reason: error.message };
    throw error;
  }
}

function strictNode(
  root: JsonSchema,
  input: unknown,
  path: string,
  isRoot: boolean,
  dropped: Set<string>,
): JsonSchema {
  const at = path || '(root)';
  if (!isSchemaObject(input)) throw new NotStrict(`${at}: a boolean schema has no strict form`);
  let node: JsonSchema = { ...input };
  node = inlineRef(root, node, at);
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && isSchemaObject(node.allOf[0])) {
    const { allOf, ...rest } = node;
    node = inlineRef(root, { ...(allOf as JsonSchema[])[0], ...rest }, at);
  }
  if ('oneOf' in node) {
    if ('anyOf' in node) throw new NotStrict(`${at}: both oneOf and anyOf`);
    const { oneOf, ...rest } = node;
    node = { ...rest, anyOf: oneOf };
  }
  if ('const' in node) {
    const { const: value, ...rest } = node;
    node = { ...rest, enum: [value] };
  }
  for (const keyword of Object.keys(node)) {
    if (STRICT_KEYWORDS.has(keyword)) continue;
    if (INEXPRESSIBLE.has(keyword)) throw new NotStrict(`${at}: "${keyword}" has no strict form`);
    if (keyword === 'default') node.description = withDefault(node.description, node.default);
    // Keywords neither listed as widening nor as inexpressible are extensions (x-…) or annotations
    // of other vocabularies: dropped too, and named as unknown in the note.
    dropped.add(WIDENING.has(keyword) ? keyword : `unknown ${keyword}`);
    delete node[keyword];
  }
  if (typeof node.format === 'string' && !STRICT_FORMATS.has(node.format)) {
    dropped.add(`format ${node.format}`);
    delete node.format;
  }
  const types = typesOf(node);
  if (types.length === 0 && isSchemaObject(node.properties)) node.type = 'object';
  if (typesOf(node).includes('object')) node = strictObject(root, node, path, isRoot, dropped);
  if (types.includes('array')) {
    if (!isSchemaObject(node.items))
      throw new NotStrict(`${at}: an array without one "items" schema has no strict form`);
    node.items = strictNode(root, node.items, `${path}[]`, false, dropped);
  } else if ('items' in node && types.length > 0) {
    delete node.items;
  }
  if (Array.isArray(node.anyOf)) {
    node.anyOf = node.anyOf.map((variant, i) =>
      strictNode(root, variant, `${path}(anyOf ${i})`, false, dropped),
    );
  }
  for (const defs of ['$defs', 'definitions'] as const) {
    const entries = node[defs];
    if (isSchemaObject(entries)) {
      node[defs] = Object.fromEntries(
        Object.entries(entries).map(([name, value]) => [
          name,
          strictNode(root, value, `#/${defs}/${name}`, false, dropped),
        ]),
      );
    }
  }
  if (typesOf(node).length === 0 && !['$ref', 'anyOf', 'enum'].some((keyword) => keyword in node)) {
    throw new NotStrict(`${at}: a value of any type has no strict form`);
  }
  return node;
}

function strictObject(
  root: JsonSchema,
  node: JsonSchema,
  path: string,
  isRoot: boolean,
  dropped: Set<string>,
): JsonSchema {
  const at = path || '(root)';
  const extra = node.additionalProperties;
  if (extra !== undefined && extra !== false) {
    throw new NotStrict(
      `${at}: an object with additionalProperties ${JSON.stringify(extra)} (a free-form record) has no strict form`,
    );
  }
  const declared = isSchemaObject(node.properties) ? node.properties : undefined;
  if (!declared && extra === undefined && !isRoot) {
    throw new NotStrict(`${at}: an object without properties (any object) has no strict form`);
  }
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const properties = Object.fromEntries(
    Object.entries(declared ?? {}).map(([name, value]) => {
      const strict = strictNode(root, value, `${path}.${name}`, false, dropped);
      return [name, required.has(name) ? strict : nullable(strict)];
    }),
  );
  return { ...node, properties, required: Object.keys(properties), additionalProperties: false };
}

/** `{ "$ref": …, …siblings }` becomes the target with the siblings over it; a bare `$ref` stays. */
function inlineRef(root: JsonSchema, node: JsonSchema, at: string): JsonSchema {
  let current = node;
  for (let depth = 0; typeof current.$ref === 'string' && Object.keys(current).length > 1; depth++) {
    const target = resolveRef(root, current.$ref);
    if (!target || depth > 20) throw new NotStrict(`${at}: $ref "${current.$ref}" cannot be resolved`);
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  if (typeof current.$ref === 'string' && !current.$ref.startsWith('#')) {
    throw new NotStrict(`${at}: a $ref outside the schema ("${current.$ref}") has no strict form`);
  }
  return current;
}

/** The schema, accepting null as well. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.$ref === 'string') return { anyOf: [schema, { type: 'null' }] };
  if (Array.isArray(schema.anyOf)) {
    const hasNull = schema.anyOf.some(
      (variant) => isSchemaObject(variant) && typesOf(variant).includes('null'),
    );
    return hasNull ? schema : { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  }
  const next: JsonSchema = { ...schema };
  const types = typesOf(schema);
  if (types.length > 0 && !types.includes('null')) next.type = [...types, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) next.enum = [...schema.enum, null];
  return next;
}

function withDefault(description: unknown, value: unknown): string {
  const text = `Default: ${JSON.stringify(value)}.`;
  return typeof description === 'string' && description.length > 0 ? `${description} (${text})` : text;
}
