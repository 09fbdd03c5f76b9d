import { z } from 'zod';
import { CustomRole, OidcConfig, RolesConfig } from './identity.ts';
import { EmbeddingsConfig } from './knowledge.ts';
import { ModelConfig } from './models.ts';
import { ToolPolicy } from './tools.ts';

/**
 * `swarmflow.config.json`: what a deployment's workers connect to and how they charge for it.
 * `mcpServers` has the shape Claude Desktop and other MCP clients use.
 */

/** Server names become part of tool keys (`<server>__<tool>`), which model APIs restrict. */
function serverNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'use letters, digits, "_" or "-"';
  if (name.includes('__')) return 'may not contain "__" (it separates server and tool in tool keys)';
  return undefined;
}

/** A server the worker starts as a child process and talks to over stdin/stdout. */
export const StdioServerConfig = z.strictObject({
  transport: z.literal('stdio'),
  type: z.literal('stdio').optional().describe('accepted for compatibility with other MCP clients'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().min(1).optional().describe('relative to the config file; default: its folder'),
});
/** A server reached over Streamable HTTP. */
export const HttpServerConfig = z.strictObject({
  transport: z.literal('http'),
  type: z.literal('http').optional().describe('accepted for compatibility with other MCP clients'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
});

/** `{command, args, env}` is a stdio server, `{url, headers}` an HTTP one; errors name the field at fault. */
export const McpServerConfig = z.preprocess(
  (value) =>
    isObject(value) && !('transport' in value) ? { transport: transportOf(value), ...value } : value,
  z.discriminatedUnion('transport', [StdioServerConfig, HttpServerConfig]),
);
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/** Credits per 1,000 tokens of a model. */
export const ModelPrice = z.strictObject({
  inputPer1k: z.number().nonnegative().default(0),
  outputPer1k: z.number().nonnegative().default(0),
});

/** The price table: models absent from `models` cost nothing per token. */
export const Prices = z.strictObject({
  models: z.record(z.string(), ModelPrice).default({}).describe('by model name, as in "models"'),
  toolCall: z.number().nonnegative().default(0).describe('credits per tool call'),
  perSecond: z.number().nonnegative().default(0).describe('credits per second of wall time'),
});
export type Prices = z.infer<typeof Prices>;

export const DeploymentConfig = z
  .strictObject({
    mcpServers: z.record(z.string(), McpServerConfig).default({}),
    models: z.record(z.string().min(1), ModelConfig).default({}),
    defaultModel: z.string().min(1).optional(),
    prices: Prices.default({ models: {}, toolCall: 0, perSecond: 0 }),
    toolPolicy: ToolPolicy.default({ rules: [] }),
    /** Custom roles beside the built-in ones (schema/identity.ts), for API keys and OIDC tokens. */
    roles: z.record(z.string(), CustomRole).default({}),
    /** An OIDC provider whose JWTs the API server accepts as bearer tokens. */
    oidc: OidcConfig.optional(),
    /** The knowledge base's embedder; the offline lexical one when absent (schema/knowledge.ts). */
    embeddings: EmbeddingsConfig.optional(),
  })
  .superRefine((config, ctx) => {
    for (const issue of RolesConfig.safeParse({ roles: config.roles }).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
    for (const name of Object.keys(config.mcpServers)) {
      const problem = serverNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', path: ['mcpServers', name], message: problem });
    }
    const models = Object.keys(config.models);
    const known = models.length > 0 ? models.join(', ') : 'none';
    if (config.defaultModel !== undefined && !(config.defaultModel in config.models)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultModel'],
        message: `names no model in "models" (${known})`,
      });
    }
    for (const [name, model] of Object.entries(config.models)) {
      for (const [index, fallback] of model.fallbacks.entries()) {
        const problem =
          fallback === name
            ? 'is the model itself'
            : fallback in config.models
              ? undefined
              : `names no model in "models" (${known})`;
        if (problem)
          ctx.addIssue({ code: 'custom', path: ['models', name, 'fallbacks', index], message: problem });
      }
    }
    for (const name of Object.keys(config.prices.models)) {
      if (!(name in config.models)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prices', 'models', name],
          message: `names no model in "models" (${known})`,
        });
      }
    }
  });
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;
export type DeploymentConfigInput = z.input<typeof DeploymentConfig>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function transportOf(server: Record<string, unknown>): 'stdio' | 'http' {
  return 'url' in server || server.type === 'http' ? 'http' : 'stdio';
}
