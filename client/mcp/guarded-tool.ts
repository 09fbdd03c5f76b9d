import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AnySchema, ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AuditOutcome } from '../../schema/audit.ts';
import { authorize, type Identity, type RoleTable } from '../../schema/identity.ts';
import { errorReply } from '../api/error-reply.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { type McpToolName, mcpToolAccess } from './tool-permissions.ts';

/** One audit entry of an MCP tool call; the caller adds who, when and over which transport. */
export interface McpAuditEntry {
  /** `mcp.<tool>`. */
  action: string;
  target: { kind: string; id?: string | undefined };
  outcome: AuditOutcome;
  /** The HTTP status the same refusal or failure answers with over REST. */
  status: number;
  reason?: string | undefined;
}

/** Who calls a tool: their identity, the SDK acting for their tenant, and their audit trail. */
export interface McpCaller {
  identity: Identity;
  /** Bound to `identity`'s tenant (or, for the keyless local stdio operator, the configured one). */
  client: SwarmflowClient;
  /** Appends to the audit log; never throws (a failed append is reported, not raised). */
  audit(entry: McpAuditEntry): Promise<void>;
  /** Refuses a start over the tenant's quota (QuotaExceededError). */
  checkQuota(kind: 'run' | 'swarm'): Promise<void>;
}

/** The extra argument the MCP SDK gives a tool handler (what matters of it here). */
export interface ToolCallExtra {
  authInfo?: AuthInfo | undefined;
}

/** How a server's tools find their caller and what the caller's roles grant. */
export interface McpAccess {
  roles: RoleTable;
  /** The caller of one tool call: fixed for stdio, the request's for HTTP. */
  callerOf(extra: ToolCallExtra): McpCaller;
}

/**
 * The MCP SDK's auth info of an authenticated HTTP request, carrying its caller to the tool
 * handlers of that request (the SDK hands `authInfo` to every handler as `extra.authInfo`).
 */
export function callerAuthInfo(caller: McpCaller, token: string): AuthInfo {
  return { token, clientId: caller.identity.subject, scopes: [], extra: { caller } };
}

/**
 * The caller `callerAuthInfo` attached to a request.
 * @throws Error when the request carries none (a transport that skipped authentication: a bug).
 */
export function callerFromAuthInfo(extra: ToolCallExtra): McpCaller {
  const caller = extra.authInfo?.extra?.caller as McpCaller | undefined;
  if (!caller) throw new Error('this MCP request carries no authenticated caller');
  return caller;
}

type ToolArgs<Input extends ZodRawShapeCompat | AnySchema> = Parameters<
  Parameters<typeof McpServer.prototype.registerTool<ZodRawShapeCompat, Input>>[2]
>[0];

export interface GuardedToolConfig<Input extends ZodRawShapeCompat | AnySchema> {
  title: string;
  description: string;
  inputSchema: Input;
  outputSchema?: ZodRawShapeCompat | AnySchema;
  annotations?: ToolAnnotations;
}

/**
 * Registers tool `name` so that every call first checks the one permission mcpToolAccess names
 * for it, then runs `handler` as the caller. Refusals (a missing permission, an id the caller's
 * tenant does not know, a quota) and every call of a mutating tool are audited as `mcp.<name>`.
 * Errors reach the client as tool errors (`isError: true`) with their message: a missing
 * permission names it and the roles that grant it (PermissionDeniedError). An error the REST API
 * would answer with a 5xx goes to stderr, and the client learns only that it was internal.
 */
export function guardedTool<Input extends ZodRawShapeCompat | AnySchema>(
  server: McpServer,
  access: McpAccess,
  name: McpToolName,
  config: GuardedToolConfig<Input>,
  handler: (args: ToolArgs<Input>, caller: McpCaller) => Promise<CallToolResult>,
): void {
  const { permission, mutates, target } = mcpToolAccess[name];
  const action = `mcp.${name}`;
  const guarded = async (args: ToolArgs<Input>, extra: ToolCallExtra): Promise<CallToolResult> => {
    const caller = access.callerOf(extra);
    try {
      authorize(caller.identity, permission, access.roles);
      const result = await handler(args, caller);
      if (mutates) {
        const id = targetId(args) ?? targetId(result.structuredContent);
        await caller.audit({ action, target: { kind: target, id }, outcome: 'ok', status: 200 });
      }
      return result;
    } catch (error) {
      const { status } = errorReply(error);
      const refused = status === 403 || status === 404 || status === 429;
      if (mutates || refused) {
        await caller.audit({
          action,
          target: { kind: target, id: targetId(args) },
          outcome: refused ? 'denied' : 'error',
          status,
          reason: (error as Error).message,
        });
      }
      if (status < 500) throw error;
      // As the REST API does: what went wrong inside is for the server's log, not the caller.
      process.stderr.write(`MCP tool ${name} failed: ${(error as Error).stack ?? error}\n`);
      throw new Error(`${name} failed with an internal error; the server log has its details`);
    }
  };
  server.registerTool(
    name,
    { ...config, description: `${config.description} Needs the ${permission} permission.` },
    guarded as unknown as Parameters<typeof server.registerTool<ZodRawShapeCompat, Input>>[2],
  );
}

/** The run or swarm a call names (its arguments) or made (its answer). */
function targetId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['swarmId', 'runId', 'id']) {
    if (typeof record[key] === 'string') return record[key] as string;
  }
  return undefined;
}
