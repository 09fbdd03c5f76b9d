import { isRecord } from './tool-schema-shape.ts';

/**
 * OpenAI's Structured Outputs rules for a `strict: true` schema (a function's `parameters` or a
 * `response_format.json_schema.schema`), from the "Structured Outputs" guide, section "Supported schemas":
 * - the root is an object (`type: "object"`), not `anyOf`;
 * - every object sets `additionalProperties: false`;
 * - every object lists every key of `properties` in `required` (optional fields are nullable instead);
 * - the documented unsupported keywords are refused: `allOf`, `not`, `dependentRequired`,
 *   `dependentSchemas`, `if`, `then`, `else`, and `oneOf`/`patternProperties` which strict mode rejects too.
 * The wording follows the API's own errors, e.g. "In context=('properties', 'x'), 'additionalProperties' is
 * required to be supplied and to be false."
 */
const unsupportedKeywords = [
  'allOf',
  'not',
  'oneOf',
  'dependentRequired',
  'dependentSchemas',
  'if',
  'then',
  'else',
  'patternProperties',
] as const;

/** Keywords whose value is one subschema. */
const subschemaKeywords = ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const;
/** Keywords whose value is a list of subschemas. */
const subschemaListKeywords = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
const subschemaMapKeywords = ['properties', '$defs', 'definitions', 'patternProperties'] as const;

/** The first strict-mode violation, worded like OpenAI's message after "Invalid schema for ...: ", or undefined. */
export function strictSchemaProblem(schema: unknown): string | undefined {
  if (!isRecord(schema) || schema.type !== 'object') {
    const type = isRecord(schema) ? schema.type : undefined;
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${type === undefined ? 'None' : String(type)}"'.`;
  }
  if ('anyOf' in schema) return `${context([])}, 'anyOf' is not permitted.`;
  return nodeProblem(schema, []);
}

function nodeProblem(node: unknown, path: readonly string[]): string | undefined {
  if (!isRecord(node)) return undefined;
  const keyword = unsupportedKeywords.find((key) => key in node);
  if (keyword) return `${context(path)}, '${keyword}' is not permitted.`;
  const ownProblem = objectProblem(node, path);
  if (ownProblem) return ownProblem;
  return childProblem(node, path);
}

function objectProblem(node: Record<string, unknown>, path: readonly string[]): string | undefined {
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
  if (!isObject && !('properties' in node)) return undefined;
  if (node.additionalProperties !== false) {
    return `${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
  }
  const keys = isRecord(node.properties) ? Object.keys(node.properties) : [];
  const required = Array.isArray(node.required) ? node.required : [];
  const missing = keys.find((key) => !required.includes(key));
  if (missing !== undefined || (keys.length > 0 && !Array.isArray(node.required))) {
    return `${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing ?? keys[0]}'.`;
  }
  return undefined;
}

function childProblem(node: Record<string, unknown>, path: readonly string[]): string | undefined {
  for (const key of subschemaKeywords) {
    if (key === 'additionalProperties' && typeof node[key] === 'boolean') continue;
    const problem = key in node ? nodeProblem(node[key], [...path, key]) : undefined;
    if (problem) return problem;
  }
  for (const key of subschemaListKeywords) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    for (const [index, item] of list.entries()) {
      const problem = nodeProblem(item, [...path, key, String(index)]);
      if (problem) return problem;
    }
  }
  for (const key of subschemaMapKeywords) {
    const map = node[key];
    if (!isRecord(map)) continue;
    for (const [name, item] of Object.entries(map)) {
      const problem = nodeProblem(item, [...path, key, name]);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** `In context=(...)` with the path written as a Python tuple, as OpenAI's messages do. */
function context(path: readonly string[]): string {
  const items = path.map((part) => `'${part}'`);
  const tuple = items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  return `In context=${tuple}`;
}
