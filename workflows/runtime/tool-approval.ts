import type { ApprovalOutcome } from '../../schema/approvals.ts';
import type { JsonValue } from '../../schema/json.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';
import type { Approvals } from './approvals.ts';
import type { RunContext } from './run-context.ts';

/** A tool call a policy wants a person to approve: its run-unique id, the element making it, why. */
export interface ApprovalRequest {
  callId: string;
  elementId: string;
  tool: McpToolDescriptor;
  args: Record<string, JsonValue>;
  reason: string;
  /** Only a decider holding one of these roles may decide the call. */
  approverRoles?: string[] | undefined;
}

/** Parks the call among the run's pending approvals until a person decides it or the approval timeout rejects it. */
export function requestToolApproval(run: RunContext, request: ApprovalRequest): Promise<ApprovalOutcome> {
  const holder = { id: run.scope.runId, timeoutMs: run.scope.limits.approvalTimeoutMs };
  return parkToolCall(run.approvals, holder, request);
}

/** Parks the call among `approvals`, those of the run or swarm `holder.id`, for at most `holder.timeoutMs`. */
export function parkToolCall(
  approvals: Approvals,
  holder: { id: string; timeoutMs: number },
  request: ApprovalRequest,
): Promise<ApprovalOutcome> {
  const { callId, elementId, tool, args, reason, approverRoles } = request;
  const now = Date.now();
  return approvals.request(
    {
      runId: holder.id,
      callId,
      elementId,
      server: tool.server,
      tool: tool.name,
      args,
      risk: tool.risk,
      reason,
      ...(approverRoles ? { approverRoles } : {}),
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + holder.timeoutMs).toISOString(),
    },
    holder.timeoutMs,
  );
}
