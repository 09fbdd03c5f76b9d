import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './json.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Problems of `value` against a JSON Schema, one line each naming the field; empty when it is valid. */
export function jsonSchemaProblems(schema: JsonSchema, value: unknown): string[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const field = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).replaceAll('/', '.');
    return `${field}: ${error.message ?? 'is invalid'}`;
  });
}

/** Throws if `schema` is not a valid JSON Schema; the message names the problem. */
export function assertJsonSchema(schema: JsonSchema, subject: string): void {
  if (!ajv.validateSchema(schema)) {
    throw new Error(`${subject} is not a valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
  }
}

/** Why `schema` is not a valid JSON Schema, or undefined when it is. */
export function jsonSchemaSyntaxError(schema: JsonSchema): string | undefined {
  return ajv.validateSchema(schema) ? undefined : `not a valid JSON Schema: ${ajv.errorsText(ajv.errors)}`;
}
