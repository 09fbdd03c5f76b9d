/**
 * Tool schemas, one normaliser per provider: our swarm tools' and MCP servers' JSON Schemas made
 * into what OpenAI and Anthropic accept, the names they see, and the way back from a provider's
 * tool call to the tool's key and arguments. Pure code, no I/O: config loading and MCP connection
 * call checkToolsFor to report inexpressible schemas before the first model call.
 */
import { type McpToolDescriptor, toolKey } from '../../../schema/tools.ts';
import { typesOf } from './json-schema-walk.ts';
import { providerToolName } from './provider-names.ts';
import { providerSchemaProblems, toolNameProblems, walk } from './provider-rules.ts';
import { makeStrict } from './strict-mode.ts';
import { normaliseTopLevel } from './top-level.ts';
import { type JsonSchema, type NormalisedTool, type ProviderTarget, ToolSchemaError } from './types.ts';

export { denormaliseArgs } from './denormalise.ts';
export { providerSchemaProblems, toolNameProblems } from './provider-rules.ts';
export type { ArgsShape, JsonSchema, NormalisedTool, ProviderTarget } from './types.ts';
export { ToolSchemaError } from './types.ts';

/**
 * `tool` as `target` takes it. Throws ToolSchemaError when its schema cannot be expressed.
 * `taken` holds the provider names already given in the same request (see normaliseTools).
 */
export function normaliseTool(
  tool: McpToolDescriptor,
  target: ProviderTarget,
  taken: ReadonlySet<string> = new Set(),
): NormalisedTool {
  const key = toolKey(tool);
  const name = providerToolName(key, taken);
  const top = normaliseTopLevel(key, tool.inputSchema);
  const notes = [...top.notes];
  if (name !== key) notes.push(`name shortened to "${name}"`);
  let parameters = target.provider === 'openai' ? withArrayItems(top.parameters) : top.parameters;
  let strict = false;
  if (target.strict && target.provider === 'openai') {
    const made = makeStrict(parameters);
    const problems = made.ok ? providerSchemaProblems(target, made.schema) : [made.reason];
    if (made.ok && problems.length === 0) {
      parameters = made.schema;
      strict = true;
      if (made.dropped.length > 0) notes.push(`strict mode dropped ${made.dropped.join(', ')}`);
    } else {
      notes.push(`sent with strict: false: ${problems.join('; ')}`);
    }
  } else if (target.strict) {
    notes.push('strict mode is applied for OpenAI only; sent with strict: false');
  }
  const problems = [...toolNameProblems(name), ...providerSchemaProblems({ ...target, strict }, parameters)];
  if (problems.length > 0) {
    throw new ToolSchemaError(key, 'schema', problems.join('; '), "simplify the tool's input schema");
  }
  const description = [tool.description ?? tool.title ?? '', top.guide ?? '']
    .filter((line) => line !== '')
    .join('\n');
  return { key, name, description, parameters, strict, notes, args: top.args };
}

/** Every tool for one request: provider names unique. Throws the first ToolSchemaError (see checkToolsFor). */
export function normaliseTools(tools: McpToolDescriptor[], target: ProviderTarget): NormalisedTool[] {
  const duplicate = duplicateKeys(tools)[0];
  if (duplicate) throw duplicate;
  const taken = new Set<string>();
  return tools.map((tool) => {
    const normalised = normaliseTool(tool, target, taken);
    taken.add(normalised.name);
    return normalised;
  });
}

/** The tool key of a provider's tool call by the name the provider saw, or undefined. */
export function keyForProviderName(tools: NormalisedTool[], name: string): string | undefined {
  return tools.find((tool) => tool.name === name)?.key;
}

/**
 * Every tool schema `target` cannot take, for config loading and MCP connection to report before
 * the first model call; empty when all can be sent. (Tools sent non-strict are notes, not errors.)
 */
export function checkToolsFor(target: ProviderTarget, tools: McpToolDescriptor[]): ToolSchemaError[] {
  const errors = duplicateKeys(tools);
  for (const tool of tools) {
    try {
      normaliseTool(tool, target);
    } catch (error) {
      if (!(error instanceof ToolSchemaError)) throw error;
      errors.push(error);
    }
  }
  return errors;
}

/** Two tools whose names differ only in characters toolKey replaces cannot be told apart by a model. */
function duplicateKeys(tools: McpToolDescriptor[]): ToolSchemaError[] {
  const seen = new Map<string, McpToolDescriptor>();
  const errors: ToolSchemaError[] = [];
  for (const tool of tools) {
    const key = toolKey(tool);
    const first = seen.get(key);
    if (first && (first.server !== tool.server || first.name !== tool.name)) {
      errors.push(
        new ToolSchemaError(
          key,
          'name',
          `tools "${first.server}/${first.name}" and "${tool.server}/${tool.name}" both become "${key}"`,
          'rename one of the servers in the deployment config',
        ),
      );
    }
    seen.set(key, first ?? tool);
  }
  return errors;
}

/** OpenAI refuses an array schema without `items`: such arrays get `items: {}` (any item). */
function withArrayItems(parameters: JsonSchema): JsonSchema {
  let missing = false;
  walk(parameters, '', (node) => {
    if (typesOf(node).includes('array') && !('items' in node)) missing = true;
  });
  if (!missing) return parameters;
  const copy = structuredClone(parameters);
  walk(copy, '', (node) => {
    if (typesOf(node).includes('array') && !('items' in node)) node.items = {};
  });
  return copy;
}
