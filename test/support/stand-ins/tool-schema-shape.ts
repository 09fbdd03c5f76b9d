/**
 * The top-level shape both OpenAI and Anthropic demand of a tool's parameters schema: a JSON Schema object
 * with `type: "object"` and none of `oneOf`/`anyOf`/`allOf`/`enum`/`not` at the top level. Each stand-in
 * words the problem in its provider's own error message.
 */
export type ToolSchemaShapeProblem =
  | { readonly kind: 'not-a-schema' }
  | { readonly kind: 'not-object'; readonly type: unknown }
  | { readonly kind: 'top-level-keyword'; readonly keyword: string };

export const forbiddenTopLevelKeywords = ['oneOf', 'anyOf', 'allOf', 'enum', 'not'] as const;

/** The first problem with a tool schema's top level, or undefined when it is acceptable. */
export function toolSchemaShapeProblem(schema: unknown): ToolSchemaShapeProblem | undefined {
  if (!isRecord(schema)) return { kind: 'not-a-schema' };
  if (schema.type !== 'object') return { kind: 'not-object', type: schema.type };
  const keyword = forbiddenTopLevelKeywords.find((key) => key in schema);
  return keyword ? { kind: 'top-level-keyword', keyword } : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
