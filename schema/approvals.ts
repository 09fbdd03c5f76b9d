import { z } from 'zod';
import { Variables } from './json.ts';
import { ToolRisk } from './tools.ts';

/**
 * Tool calls that wait for a person: a tool policy said "approve", so the run parks the call
 * until someone approves or rejects it, or its approval timeout rejects it.
 */

/** A parked tool call, as the run's state, the SDK and the CLI show it. */
export const PendingApproval = z.object({
  runId: z.string(),
  callId: z.string().describe('unique in the run: the step key and the call number in the step'),
  elementId: z.string(),
  server: z.string(),
  tool: z.string(),
  args: Variables,
  risk: ToolRisk,
  reason: z.string().describe('the policy rule that asks for approval'),
  approverRoles: z
    .array(z.string())
    .optional()
    .describe("the roles one of which the decider must hold (the rule's approverRoles); anyone when absent"),
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().describe('when the call counts as rejected if nobody decided'),
});
export type PendingApproval = z.infer<typeof PendingApproval>;

/** The `decideApproval` update's argument: a person's decision on a parked call. */
export const ApprovalDecision = z.strictObject({
  callId: z.string().min(1),
  approved: z.boolean(),
  reason: z.string().min(1).optional(),
  decidedBy: z.string().min(1).optional(),
  /**
   * The decider's roles, as the API server authenticated them; checked against the call's
   * approverRoles. Absent for operator-side callers (direct SDK, local CLI), who are trusted.
   */
  deciderRoles: z.array(z.string()).optional(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/** How a parked call ended: decided by a person, or rejected by its timeout. */
export const ApprovalOutcome = z.object({
  approved: z.boolean(),
  reason: z.string().optional(),
  decidedBy: z.string().optional(),
  timedOut: z.boolean().default(false),
});
export type ApprovalOutcome = z.infer<typeof ApprovalOutcome>;
