/**
 * A provider's tool-call arguments mapped back to what the tool takes, undoing what normaliseTool
 * changed: a merged union keeps only the properties of the variant the discriminators name, a
 * wrapped union is unwrapped, and nulls that strict mode made the model send for absent optional
 * properties are dropped where the tool's own schema does not allow null. The tool's own
 * validation then runs on the result as before. Pure code, no I/O.
 */
import { allowsNull, deref, isSchemaObject, propertiesOf } from './json-schema-walk.ts';
import { pinnedValues } from './top-level.ts';
import type { JsonSchema, NormalisedTool } from './types.ts';

type Args = Record<string, unknown>;

export function denormaliseArgs(tool: Pick<NormalisedTool, 'args'>, args: Args): Args {
  if (!isSchemaObject(args)) return args;
  const shape = tool.args;
  switch (shape.kind) {
    case 'object':
      return stripNulls(shape.source, shape.source, args) as Args;
    case 'merged-union': {
      const matching = shape.variants.filter((variant) =>
        shape.discriminators.every((name) =>
          (pinnedValues(propertiesOf(variant)[name]) ?? []).some((value) => value === args[name]),
        ),
      );
      if (matching.length === 0) return dropNulls(args);
      const open = matching.some((variant) => variant.additionalProperties !== false);
      const result: Args = {};
      for (const [name, value] of Object.entries(args)) {
        const declaring = matching.find((variant) => name in propertiesOf(variant));
        if (!declaring) {
          if (open && value !== null) result[name] = value;
          continue;
        }
        const schema = propertiesOf(declaring)[name] as JsonSchema;
        if (value === null && !allowsNull(shape.source, schema)) continue;
        result[name] = stripNulls(shape.source, schema, value);
      }
      return result;
    }
    case 'wrapped-union': {
      const chosen = shape.options.find(({ property }) => isSchemaObject(args[property]));
      return chosen ? (stripNulls(shape.source, chosen.schema, args[chosen.property]) as Args) : {};
    }
  }
}

function dropNulls(args: Args): Args {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));
}

/** `value` without the object properties that are null where `schema` does not allow null. */
function stripNulls(root: JsonSchema, input: unknown, value: unknown): unknown {
  if (!isSchemaObject(input)) return value;
  const schema = deref(root, input);
  if (Array.isArray(value)) {
    return isSchemaObject(schema.items) ? value.map((item) => stripNulls(root, schema.items, item)) : value;
  }
  if (!isSchemaObject(value)) return value;
  const properties = objectProperties(root, schema);
  const extra = isSchemaObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const result: Args = {};
  for (const [name, item] of Object.entries(value)) {
    const declared = properties[name];
    if (declared) {
      if (item === null && !allowsNull(root, declared)) continue;
      result[name] = stripNulls(root, declared, item);
    } else {
      result[name] = extra ? stripNulls(root, extra, item) : item;
    }
  }
  return result;
}

/** The properties an object schema declares, with those of its object variants (anyOf/oneOf/allOf). */
function objectProperties(root: JsonSchema, schema: JsonSchema): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = {};
  for (const union of ['anyOf', 'oneOf', 'allOf'] as const) {
    const variants = schema[union];
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      if (!isSchemaObject(variant)) continue;
      for (const [name, declared] of Object.entries(propertiesOf(deref(root, variant))))
        properties[name] ??= declared;
    }
  }
  return { ...properties, ...propertiesOf(schema) };
}
