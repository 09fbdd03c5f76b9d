/**
 * Tool schemas as providers accept them: the shared types. Pure code, no I/O: this folder only
 * rewrites and checks JSON values, so config loading, MCP connections and the model stand-ins may
 * all call it.
 */
import type { JsonSchema } from '../../../schema/json.ts';

export type { JsonSchema };

/** The provider a tool list is sent to; `strict` asks for OpenAI strict mode where a schema allows it. */
export interface ProviderTarget {
  provider: 'openai' | 'anthropic';
  strict?: boolean;
}

/**
 * How a provider's tool-call arguments map back to what the tool takes (see denormaliseArgs).
 * `source` is the tool's own input schema (the root that its `$ref`s resolve against).
 */
export type ArgsShape =
  /** The tool's own object schema, at most with nulls for absent optional properties. */
  | { kind: 'object'; source: JsonSchema }
  /** A discriminated union merged into one object: the variants, told apart by `discriminators`. */
  | { kind: 'merged-union'; source: JsonSchema; variants: JsonSchema[]; discriminators: string[] }
  /** A union without a discriminator: one property per variant, the model fills exactly one. */
  | { kind: 'wrapped-union'; source: JsonSchema; options: { property: string; schema: JsonSchema }[] };

export interface NormalisedTool {
  /** toolKey(tool): what our code finds the tool by. */
  key: string;
  /** What the provider sees: the key, or when that is too long a shortened name with a hash suffix. */
  name: string;
  description: string;
  parameters: JsonSchema;
  /** True only when the schema could be made strict-compliant (OpenAI with `strict` asked). */
  strict: boolean;
  /** What was changed or given up, e.g. why a tool is sent non-strict; for logs and `models check`. */
  notes: string[];
  args: ArgsShape;
}

/** A tool schema a provider cannot take in any form: names the tool, the keyword and the fix. */
export class ToolSchemaError extends Error {
  override readonly name = 'ToolSchemaError';
  constructor(
    readonly tool: string,
    readonly keyword: string,
    problem: string,
    fix: string,
  ) {
    super(`tool "${tool}": ${problem} (keyword "${keyword}"); ${fix}`);
  }
}
