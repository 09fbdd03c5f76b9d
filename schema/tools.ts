import { z } from 'zod';
import { JsonSchema, JsonValue, type Variables } from './json.ts';
import { Usage } from './usage.ts';

/**
 * Tools are MCP tools of the servers a deployment configures. This file holds what crosses
 * Temporal's history about them (descriptors, call requests, results) and the pure tool
 * policy that workflows evaluate before every call.
 */

/** How much harm a call can do, from the tool's MCP annotations (see toolRisk). */
export const ToolRisk = z.enum(['low', 'medium', 'high']);
export type ToolRisk = z.infer<typeof ToolRisk>;

/** The MCP annotations Swarmflow reads; all are hints a server gives about its tool. */
export const ToolAnnotations = z.object({
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotations = z.infer<typeof ToolAnnotations>;

/** A tool as a server lists it, with the server it belongs to and its risk. */
export const McpToolDescriptor = z.object({
  server: z.string().min(1),
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonSchema,
  outputSchema: JsonSchema.optional(),
  annotations: ToolAnnotations.optional(),
  risk: ToolRisk,
});
export type McpToolDescriptor = z.infer<typeof McpToolDescriptor>;

/** One call of one tool. The idempotency key defaults to one derived from the workflow and activity ids. */
export const ToolCallRequest = z.object({
  server: z.string().min(1),
  tool: z.string().min(1),
  args: z.record(z.string(), JsonValue).default({}),
  idempotencyKey: z.string().min(1).optional(),
});
export type ToolCallRequest = z.infer<typeof ToolCallRequest>;
export type ToolCallRequestInput = z.input<typeof ToolCallRequest>;

/** What a tool returned: its structured content when it has an output schema, and its text. */
export const ToolResult = z.object({
  structuredContent: z.record(z.string(), JsonValue).optional(),
  text: z.string(),
  isError: z.boolean(),
});
export type ToolResult = z.infer<typeof ToolResult>;

/**
 * MCP's defaults apply: a tool is destructive unless it says otherwise. Read-only tools are
 * low risk, tools that declare themselves non-destructive medium, every other tool high.
 */
export function toolRisk(annotations: ToolAnnotations | undefined): ToolRisk {
  if (annotations?.readOnlyHint) return 'low';
  if (annotations?.destructiveHint === false) return 'medium';
  return 'high';
}

/** The value a BPMN task's output mappings see as `result`: structured content if any, else the text. */
export function toolResultValue(result: ToolResult): JsonValue {
  return result.structuredContent ?? result.text;
}

/** The variables a tool's input schema names: a BPMN task's arguments, other process variables stay home. */
export function toolArguments(tool: Pick<McpToolDescriptor, 'inputSchema'>, variables: Variables): Variables {
  const properties = tool.inputSchema.properties;
  if (typeof properties !== 'object' || properties === null) return {};
  return Object.fromEntries(
    Object.keys(properties).flatMap((name) => (name in variables ? [[name, variables[name]]] : [])),
  ) as Variables;
}

/**
 * The name a model sees for a tool: `<server>__<tool>`, with characters model APIs refuse in
 * function names replaced by `_`. Map a model's tool call back with findToolByKey.
 */
export function toolKey(tool: Pick<McpToolDescriptor, 'server' | 'name'>): string {
  return `${tool.server}__${tool.name}`.replaceAll(/[^A-Za-z0-9_-]/g, '_');
}

export function findToolByKey(tools: McpToolDescriptor[], key: string): McpToolDescriptor | undefined {
  return tools.find((tool) => toolKey(tool) === key);
}

export const ToolDecision = z.enum(['allow', 'approve', 'deny']);
export type ToolDecision = z.infer<typeof ToolDecision>;

/**
 * A rule matches a tool by `tool` (a glob over `<server>/<tool>`: `*` is any run of characters,
 * `?` one character) and/or by `risk` (exactly that level); a rule giving both needs both.
 */
export const ToolPolicyRule = z
  .strictObject({
    tool: z.string().min(1).optional(),
    risk: ToolRisk.optional(),
    decision: ToolDecision,
    approverRoles: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('with "approve": only a person holding one of these roles may decide the call'),
  })
  .refine((rule) => rule.tool !== undefined || rule.risk !== undefined, {
    message: 'a rule needs "tool" (a glob such as "memory/delete_*") or "risk"',
    path: ['tool'],
  })
  .refine((rule) => rule.approverRoles === undefined || rule.decision === 'approve', {
    message: 'approverRoles go with decision "approve" only',
    path: ['approverRoles'],
  });
export type ToolPolicyRule = z.infer<typeof ToolPolicyRule>;

/** The first matching rule decides; with none, `default` does; without a default the policy abstains. */
export const ToolPolicy = z.strictObject({
  rules: z.array(ToolPolicyRule).default([]),
  default: ToolDecision.optional(),
});
export type ToolPolicy = z.infer<typeof ToolPolicy>;

/** A policy and where it comes from ("deployment", "routine order-fulfilment", "swarm s-1"), for reasons. */
export interface PolicyLayer {
  source: string;
  policy: ToolPolicy;
}

export interface ToolVerdict {
  decision: ToolDecision;
  reason: string;
  /** With `approve`: the roles one of which the person deciding must hold; anyone may when absent. */
  approverRoles?: string[];
}

const STRICTNESS: Record<ToolDecision, number> = { allow: 0, approve: 1, deny: 2 };

/**
 * Decides a call of `tool` under every layer (deployment, tenant, routine, swarm...). Each layer
 * may only tighten: the strictest decision wins, so a routine cannot allow what the deployment
 * denies. With no layer deciding, the call is allowed.
 */
export function decideToolCall(
  layers: PolicyLayer[],
  tool: Pick<McpToolDescriptor, 'server' | 'name' | 'risk'>,
): ToolVerdict {
  let verdict: ToolVerdict = { decision: 'allow', reason: 'no tool policy rule applies' };
  for (const layer of layers) {
    const decided = decideInLayer(layer, tool);
    if (decided && STRICTNESS[decided.decision] >= STRICTNESS[verdict.decision]) verdict = decided;
  }
  return verdict;
}

function decideInLayer(
  { source, policy }: PolicyLayer,
  tool: Pick<McpToolDescriptor, 'server' | 'name' | 'risk'>,
): ToolVerdict | undefined {
  const name = `${tool.server}/${tool.name}`;
  const index = policy.rules.findIndex((rule) => ruleMatches(rule, name, tool.risk));
  const rule = policy.rules[index];
  if (rule) {
    const what = [rule.tool && `tool "${rule.tool}"`, rule.risk && `risk ${rule.risk}`].filter(Boolean);
    return {
      decision: rule.decision,
      reason: `${source} rule ${index + 1} (${what.join(', ')}): ${rule.decision}`,
      ...(rule.approverRoles ? { approverRoles: rule.approverRoles } : {}),
    };
  }
  if (policy.default) return { decision: policy.default, reason: `${source} default: ${policy.default}` };
  return undefined;
}

function ruleMatches(rule: ToolPolicyRule, name: string, risk: ToolRisk): boolean {
  if (rule.risk !== undefined && rule.risk !== risk) return false;
  return rule.tool === undefined || globMatches(rule.tool, name);
}

/** Whether `name` matches `glob`: `*` is any run of characters, `?` one character. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .split('')
    .map((char) => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[.+^${}()|[\]\\]/, '\\$&');
    })
    .join('');
  return new RegExp(`^${pattern}$`).test(name);
}

/** What reasoning steps may use: every configured server's tools, and the deployment's tool policy. */
export const ToolCatalog = z.object({ tools: z.array(McpToolDescriptor), policy: ToolPolicy });
export type ToolCatalog = z.infer<typeof ToolCatalog>;

/** The tool call activity's result: the tool's result and the call's metered usage. */
export const ToolCallOutcome = ToolResult.extend({ usage: Usage });
export type ToolCallOutcome = z.infer<typeof ToolCallOutcome>;
