/**
 * The top of a tool's parameters made into what both providers take: one `type: "object"` with
 * no oneOf/anyOf/allOf/enum/not beside it. Unions become one object (see normaliseTopLevel for
 * which form and why); what cannot be an object is a ToolSchemaError. Pure code, no I/O; the
 * input schema is never changed.
 */
import {
  cloneJson,
  deref,
  isObjectSchema,
  isSchemaObject,
  propertiesOf,
  requiredOf,
  typesOf,
} from './json-schema-walk.ts';
import { TOOL_NAME_PATTERN } from './provider-rules.ts';
import { type ArgsShape, type JsonSchema, ToolSchemaError } from './types.ts';

export interface TopLevel {
  parameters: JsonSchema;
  args: ArgsShape;
  /** A line for the tool's description telling the model how to fill the rewritten object. */
  guide?: string;
  notes: string[];
}

const FIX =
  'give the tool an input schema whose top level is one object ({"type": "object", "properties": ...})';

/**
 * Top-level unions (oneOf/anyOf, from a zod union or a server's schema) become ONE object, so the
 * model still calls one tool and our dispatch by tool name stays as it is:
 * - a discriminated union (every variant an object with a required const/enum property, e.g.
 *   `swarm__resource_manage`'s `action`): one object whose discriminator is an enum of all the
 *   variants' values and whose other properties are the union of the variants' properties,
 *   required only where every variant requires them. The model picks the discriminator value it
 *   can read, fills that variant's fields (the description lists each variant), and the real
 *   validation (our zod schema in the workflow, or the MCP server) still runs on the arguments
 *   denormaliseArgs gives back, so nothing is lost by the looser merged schema. Separate tools per
 *   variant would multiply the tool list with near-twins (resource_manage has two `add`s), make
 *   the model choose between them by name, and need a second map from tool to variant.
 * - a union without a discriminator: nothing in the arguments says which variant is meant, so a
 *   merged object would blur them; a wrapper with one property per variant (named by the
 *   variant's title, else `option_<n>`) makes the choice explicit, and denormaliseArgs unwraps the
 *   one filled. Separate tools would need names invented for variants that have none.
 * Top-level allOf of objects is merged into one object (an intersection of objects is one).
 */
export function normaliseTopLevel(key: string, input: JsonSchema): TopLevel {
  const source = cloneJson(input);
  const notes: string[] = [];
  const root = deref(source, source);
  const { $schema: _schema, ...schema } = root;
  for (const keyword of ['not', 'enum', 'const'] as const) {
    if (keyword in schema) {
      throw new ToolSchemaError(
        key,
        keyword,
        `"${keyword}" at the top of the input schema cannot be an object`,
        FIX,
      );
    }
  }
  const types = typesOf(schema);
  if (types.length > 0 && !types.includes('object')) {
    throw new ToolSchemaError(
      key,
      'type',
      `the input schema's top level is ${JSON.stringify(schema.type)}, and tool arguments must be an object`,
      FIX,
    );
  }
  if (types.length > 1) notes.push(`top-level type ${JSON.stringify(schema.type)} narrowed to "object"`);
  const base = mergeAllOf(key, source, schema);
  if ('oneOf' in base && 'anyOf' in base) {
    throw new ToolSchemaError(key, 'oneOf', 'the top level has both "oneOf" and "anyOf"', FIX);
  }
  const unionKeyword = 'oneOf' in base ? 'oneOf' : 'anyOf' in base ? 'anyOf' : undefined;
  if (!unionKeyword) {
    return { parameters: asObject(base), args: { kind: 'object', source: input }, notes };
  }
  const { [unionKeyword]: union, ...rest } = base;
  const variants = objectVariants(key, unionKeyword, source, rest, union);
  const discriminators = discriminatorsOf(variants);
  const defs = definitionsOf(rest);
  if (discriminators.length > 0) {
    notes.push(`top-level ${unionKeyword} merged into one object told apart by ${discriminators.join(', ')}`);
    return {
      parameters: { ...defs, ...mergeVariants(variants, discriminators), ...annotations(rest) },
      args: { kind: 'merged-union', source: input, variants, discriminators },
      guide: `Arguments, one of: ${variants.map((variant) => variantSummary(variant, discriminators)).join('; ')}.`,
      notes,
    };
  }
  const options = optionNames(variants).map((property, i) => ({
    property,
    schema: variants[i] as JsonSchema,
  }));
  notes.push(`top-level ${unionKeyword} without a discriminator wrapped as one property per variant`);
  return {
    parameters: {
      ...defs,
      ...annotations(rest),
      type: 'object',
      properties: Object.fromEntries(options.map(({ property, schema: variant }) => [property, variant])),
      additionalProperties: false,
    },
    args: { kind: 'wrapped-union', source: input, options },
    guide: `Give exactly one of ${options.map(({ property }) => `"${property}"`).join(', ')}.`,
    notes,
  };
}

function asObject(schema: JsonSchema): JsonSchema {
  return {
    ...schema,
    type: 'object',
    properties: isSchemaObject(schema.properties) ? schema.properties : {},
  };
}

function definitionsOf(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(
    ['$defs', 'definitions'].filter((name) => name in schema).map((name) => [name, schema[name]]),
  );
}

function annotations(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(
    ['title', 'description'].filter((name) => name in schema).map((name) => [name, schema[name]]),
  );
}

/** An object schema that is not itself a union, intersection or negation: one that can be merged. */
function isPlainObject(schema: JsonSchema | undefined): schema is JsonSchema {
  return !!schema && isObjectSchema(schema) && !['oneOf', 'anyOf', 'allOf', 'not'].some((k) => k in schema);
}

/** Folds a top-level allOf of objects into the schema itself; other parts cannot be merged. */
function mergeAllOf(key: string, root: JsonSchema, schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  if (allOf === undefined) return schema;
  let merged = rest;
  for (const part of Array.isArray(allOf) ? allOf : [allOf]) {
    const resolved = isSchemaObject(part) ? deref(root, part) : undefined;
    if (!isPlainObject(resolved)) {
      throw new ToolSchemaError(
        key,
        'allOf',
        'a part of the top-level "allOf" is not a plain object schema',
        FIX,
      );
    }
    merged = mergeObjects(merged, resolved);
  }
  return merged;
}

function mergeObjects(a: JsonSchema, b: JsonSchema): JsonSchema {
  const required = [...new Set([...requiredOf(a), ...requiredOf(b)])];
  const closed = a.additionalProperties === false && b.additionalProperties === false;
  const { additionalProperties: _a, ...restA } = a;
  const { additionalProperties: _b, ...restB } = b;
  return {
    ...restA,
    ...restB,
    type: 'object',
    properties: { ...propertiesOf(a), ...propertiesOf(b) },
    ...(required.length > 0 ? { required } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

/** The union's variants as objects, each with the properties declared beside the union. */
function objectVariants(
  key: string,
  keyword: string,
  root: JsonSchema,
  rest: JsonSchema,
  union: unknown,
): JsonSchema[] {
  if (!Array.isArray(union) || union.length === 0) {
    throw new ToolSchemaError(key, keyword, `the top-level "${keyword}" is not a list of schemas`, FIX);
  }
  const shared = isSchemaObject(rest.properties)
    ? { properties: rest.properties, required: requiredOf(rest) }
    : {};
  return flatVariants(root, union).map((resolved, i) => {
    if (!isPlainObject(resolved)) {
      throw new ToolSchemaError(
        key,
        keyword,
        `variant ${i + 1} of the top-level "${keyword}" is not an object, so the arguments could not be one`,
        'make every variant an object schema',
      );
    }
    const { $schema: _s, $defs: _d, definitions: _defs, ...variantSchema } = resolved;
    return 'properties' in shared ? mergeObjects(shared, variantSchema) : variantSchema;
  });
}

/** A union's variants, with those of nested unions (zod nests a discriminated union by a second key) in line. */
function flatVariants(root: JsonSchema, union: unknown[]): (JsonSchema | undefined)[] {
  return union.flatMap((variant) => {
    const resolved = isSchemaObject(variant) ? deref(root, variant) : undefined;
    const inner = resolved && !('properties' in resolved) ? (resolved.oneOf ?? resolved.anyOf) : undefined;
    return Array.isArray(inner) ? flatVariants(root, inner) : [resolved];
  });
}

/** The values a property schema pins a discriminator to (const, or an enum of primitives). */
export function pinnedValues(schema: JsonSchema | undefined): (string | number | boolean)[] | undefined {
  if (!schema) return undefined;
  const isPrimitive = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);
  if ('const' in schema) return isPrimitive(schema.const) ? [schema.const as string] : undefined;
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isPrimitive)) {
    return schema.enum as (string | number | boolean)[];
  }
  return undefined;
}

/** Properties every variant requires and pins to values, which differ between variants. */
function discriminatorsOf(variants: JsonSchema[]): string[] {
  const first = variants[0];
  if (!first || variants.length < 2) return [];
  return Object.keys(propertiesOf(first)).filter((name) => {
    const sets = variants.map((variant) =>
      requiredOf(variant).includes(name) ? pinnedValues(propertiesOf(variant)[name]) : undefined,
    );
    if (sets.some((set) => set === undefined)) return false;
    return new Set(sets.map((set) => JSON.stringify([...(set ?? [])].sort()))).size > 1;
  });
}

function mergeVariants(variants: JsonSchema[], discriminators: string[]): JsonSchema {
  const names = [...new Set(variants.flatMap((variant) => Object.keys(propertiesOf(variant))))];
  const properties = Object.fromEntries(
    names.map((name) => [
      name,
      mergeProperty(
        variants.flatMap((variant): JsonSchema[] => {
          const schema = propertiesOf(variant)[name];
          return schema ? [schema] : [];
        }),
      ),
    ]),
  );
  const required = names.filter(
    (name) =>
      discriminators.includes(name) || variants.every((variant) => requiredOf(variant).includes(name)),
  );
  const closed = variants.every((variant) => variant.additionalProperties === false);
  return {
    type: 'object',
    properties,
    required,
    ...(closed ? { additionalProperties: false } : {}),
  };
}

/** One schema for a property several variants declare: itself, an enum of all pinned values, or anyOf. */
function mergeProperty(schemas: JsonSchema[]): JsonSchema {
  const distinct = [...new Map(schemas.map((schema) => [JSON.stringify(schema), schema])).values()];
  if (distinct.length === 1) return distinct[0] as JsonSchema;
  const pinned = distinct.map(pinnedValues);
  if (pinned.every((values) => values !== undefined)) {
    const values = [...new Set(pinned.flat())];
    const types = [...new Set(distinct.flatMap(typesOf))];
    const description = distinct.find((schema) => typeof schema.description === 'string')?.description;
    return {
      ...(types.length === 1 ? { type: types[0] } : {}),
      enum: values,
      ...(description !== undefined ? { description } : {}),
    };
  }
  return { anyOf: distinct };
}

/** `{action: "add", kind: "agent", agent, query?}`: a variant's pinned values, then its other fields. */
function variantSummary(variant: JsonSchema, discriminators: string[]): string {
  const properties = propertiesOf(variant);
  const required = new Set(requiredOf(variant));
  const fields = Object.keys(properties).map((name) => {
    if (discriminators.includes(name)) {
      return `${name}: ${(pinnedValues(properties[name]) ?? []).map((value) => JSON.stringify(value)).join('|')}`;
    }
    return required.has(name) ? name : `${name}?`;
  });
  return `{${fields.join(', ')}}`;
}

function optionNames(variants: JsonSchema[]): string[] {
  const titles = variants.map((variant) =>
    typeof variant.title === 'string' ? variant.title.replaceAll(/[^A-Za-z0-9_-]/g, '_') : '',
  );
  const usable =
    titles.every((title) => TOOL_NAME_PATTERN.test(title)) && new Set(titles).size === titles.length;
  return usable ? titles : variants.map((_, i) => `option_${i + 1}`);
}
