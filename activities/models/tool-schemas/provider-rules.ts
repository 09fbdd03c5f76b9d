/**
 * The rules OpenAI and Anthropic apply to a tool's name and parameter schema, as a checker:
 * `providerSchemaProblems` lists what a provider would reject with a 400. The normaliser checks
 * its own output with it, and the provider stand-ins may use it to reject what the real service
 * rejects. Pure code, no I/O.
 *
 * Sources:
 * - Both providers: the parameters must be `type: "object"` at the top, without a top-level
 *   oneOf/anyOf/allOf/enum/not. OpenAI: "schema must be a JSON Schema of 'type: \"object\"'"
 *   (its 400 message, e.g. github.com/jcrist/msgspec/issues/640) and the Structured Outputs guide,
 *   platform.openai.com/docs/guides/structured-outputs#supported-schemas ("Root objects must not
 *   be anyOf and must be an object"). Anthropic: docs.anthropic.com/en/docs/agents-and-tools/tool-use
 *   (`input_schema` is a JSON Schema object), whose API answers a top-level union with a 400.
 * - Tool names: `^[a-zA-Z0-9_-]{1,64}$` (OpenAI function `name`: "a-z, A-Z, 0-9, underscores and
 *   dashes, maximum length of 64"; Anthropic tool `name`: the same pattern).
 * - OpenAI, strict or not: an array schema needs `items` ("Invalid schema for function 'x': In
 *   context=('properties', 'y'), array schema missing items.", the API's own 400, e.g.
 *   github.com/sigoden/aichat/pull/1049).
 * - OpenAI strict mode, the Structured Outputs guide's "Supported schemas": every object has
 *   `additionalProperties: false` and lists every property in `required` (optional ones are
 *   nullable instead); only the supported keywords (below); `$ref`/`$defs` allowed, a `$ref`
 *   alone (openai-python's `_ensure_strict_json_schema` inlines a `$ref` that has siblings, as
 *   the API refuses them); `default` is "not permitted" (the API's 400: "In context=('properties',
 *   'x'), 'default' is not permitted."); limits: at most 5000 object properties in all, 10 levels
 *   of nesting, 1000 enum values in all, 120,000 characters of property names, definition names,
 *   enum and const values (earlier versions of the guide said 100 properties and 5 levels).
 */
import { isSchemaObject, typesOf } from './json-schema-walk.ts';
import type { JsonSchema, ProviderTarget } from './types.ts';

export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_TOOL_NAME_LENGTH = 64;

/** Keywords that may not sit at the top of a tool's parameters (either provider). */
export const TOP_LEVEL_FORBIDDEN = ['oneOf', 'anyOf', 'allOf', 'enum', 'not'] as const;

/** The string formats strict mode supports (Structured Outputs guide, "Supported properties"). */
export const STRICT_FORMATS: ReadonlySet<string> = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

/** Every keyword strict mode accepts: structure, annotations, and the supported constraints. */
export const STRICT_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'const',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
  // strings
  'pattern',
  'format',
  // numbers
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  // arrays
  'minItems',
  'maxItems',
]);

export const STRICT_LIMITS = {
  properties: 5000,
  nesting: 10,
  enumValues: 1000,
  stringLength: 120_000,
} as const;

/** What the provider would refuse in a tool's name; empty when it takes it. */
export function toolNameProblems(name: string): string[] {
  return TOOL_NAME_PATTERN.test(name) ? [] : [`name "${name}" does not match ${TOOL_NAME_PATTERN.source}`];
}

/**
 * What `target` would refuse in a tool's parameters (with `strict` as the tool is sent), one line
 * each naming the place; empty when the provider takes it.
 */
export function providerSchemaProblems(target: ProviderTarget, schema: JsonSchema): string[] {
  const problems: string[] = [];
  if (schema.type !== 'object')
    problems.push(`(root): type must be "object", not ${JSON.stringify(schema.type)}`);
  for (const keyword of TOP_LEVEL_FORBIDDEN) {
    if (keyword in schema) problems.push(`(root): "${keyword}" is not allowed at the top level`);
  }
  if (target.provider === 'openai') {
    walk(schema, '', (node, path) => {
      if (typesOf(node).includes('array') && !('items' in node))
        problems.push(`${path || '(root)'}: array schema missing items`);
    });
  }
  if (target.provider === 'openai' && target.strict) problems.push(...strictProblems(schema));
  return problems;
}

function strictProblems(root: JsonSchema): string[] {
  const problems: string[] = [];
  const counts = { properties: 0, enumValues: 0, stringLength: 0 };
  let deepest = 0;
  walk(root, '', (node, path, depth) => {
    const at = path || '(root)';
    deepest = Math.max(deepest, depth);
    for (const keyword of Object.keys(node)) {
      if (!STRICT_KEYWORDS.has(keyword) && !(keyword === '$schema' && path === '')) {
        problems.push(`${at}: "${keyword}" is not permitted in strict mode`);
      }
    }
    if (typeof node.format === 'string' && !STRICT_FORMATS.has(node.format)) {
      problems.push(`${at}: format "${node.format}" is not supported in strict mode`);
    }
    if (typeof node.$ref === 'string' && Object.keys(node).length > 1) {
      problems.push(`${at}: a $ref may not have sibling keywords in strict mode`);
    }
    const types = typesOf(node);
    const isObject = types.includes('object') || 'properties' in node;
    if (isObject) {
      if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
      const properties = isSchemaObject(node.properties) ? Object.keys(node.properties) : [];
      const required = new Set(Array.isArray(node.required) ? node.required : []);
      for (const name of properties) {
        if (!required.has(name)) problems.push(`${at}: property "${name}" must be listed in required`);
      }
      counts.properties += properties.length;
      counts.stringLength += properties.join('').length;
    }
    if (
      types.length === 0 &&
      !('$ref' in node) &&
      !('anyOf' in node) &&
      !('enum' in node) &&
      !('const' in node)
    ) {
      problems.push(`${at}: a schema in strict mode needs a type`);
    }
    if (Array.isArray(node.enum)) {
      counts.enumValues += node.enum.length;
      counts.stringLength += node.enum.map((value) => String(value)).join('').length;
    }
    if (typeof node.const === 'string') counts.stringLength += node.const.length;
    for (const defs of ['$defs', 'definitions'] as const) {
      if (isSchemaObject(node[defs])) counts.stringLength += Object.keys(node[defs]).join('').length;
    }
  });
  if (counts.properties > STRICT_LIMITS.properties) {
    problems.push(
      `(root): ${counts.properties} object properties exceed the limit of ${STRICT_LIMITS.properties}`,
    );
  }
  if (deepest > STRICT_LIMITS.nesting) {
    problems.push(`(root): ${deepest} levels of nesting exceed the limit of ${STRICT_LIMITS.nesting}`);
  }
  if (counts.enumValues > STRICT_LIMITS.enumValues) {
    problems.push(`(root): ${counts.enumValues} enum values exceed the limit of ${STRICT_LIMITS.enumValues}`);
  }
  if (counts.stringLength > STRICT_LIMITS.stringLength) {
    problems.push(
      `(root): ${counts.stringLength} characters of names and values exceed ${STRICT_LIMITS.stringLength}`,
    );
  }
  return problems;
}

/**
 * Visits every subschema (properties, items, anyOf/oneOf/allOf, not, additionalProperties,
 * $defs/definitions) with its path and its object nesting level (the root object is level 1;
 * $defs count from level 1 as they may be used anywhere).
 */
export function walk(
  schema: JsonSchema,
  path: string,
  visit: (node: JsonSchema, path: string, depth: number) => void,
  depth = 1,
): void {
  visit(schema, path, depth);
  const inner = (value: unknown, at: string, level: number) => {
    if (isSchemaObject(value)) walk(value, at, visit, level);
  };
  const nested = depth + 1;
  if (isSchemaObject(schema.properties)) {
    for (const [name, value] of Object.entries(schema.properties)) inner(value, `${path}.${name}`, nested);
  }
  if (Array.isArray(schema.items)) {
    for (const [i, value] of schema.items.entries()) inner(value, `${path}[${i}]`, depth);
  } else inner(schema.items, `${path}[]`, depth);
  inner(schema.additionalProperties, `${path}.*`, nested);
  inner(schema.not, `${path}(not)`, depth);
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const variants = schema[union];
    if (Array.isArray(variants)) {
      for (const [i, value] of variants.entries()) inner(value, `${path}(${union} ${i})`, depth);
    }
  }
  for (const defs of ['$defs', 'definitions'] as const) {
    const entries = schema[defs];
    if (isSchemaObject(entries)) {
      for (const [name, value] of Object.entries(entries)) inner(value, `#/${defs}/${name}`, 1);
    }
  }
}
