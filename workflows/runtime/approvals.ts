import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { ApprovalDecision, ApprovalOutcome, PendingApproval } from '../../schema/approvals.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';

/**
 * Tool calls of a run that wait for a person. They are workflow state, so they survive worker
 * restarts; the `decideApproval` update decides one, and an approval timeout rejects it. The
 * number pending is the run's `SwarmflowPendingApprovals` search attribute.
 */
export class Approvals {
  private readonly pending = new Map<string, PendingApproval>();
  private readonly decided = new Map<string, ApprovalOutcome>();

  list(): PendingApproval[] {
    return [...this.pending.values()];
  }

  /** Parks `approval` until a person decides it or `timeoutMs` passes (a rejection). */
  async request(approval: PendingApproval, timeoutMs: number): Promise<ApprovalOutcome> {
    const { callId } = approval;
    this.pending.set(callId, approval);
    this.advertise();
    try {
      if (!(await condition(() => this.decided.has(callId), timeoutMs))) {
        const reason = `nobody decided within ${timeoutMs} ms`;
        this.decided.set(callId, { approved: false, reason, timedOut: true });
      }
      return this.decided.get(callId) as ApprovalOutcome;
    } finally {
      this.pending.delete(callId);
      this.advertise();
    }
  }

  /** The pending call a decision is for; throws (rejecting the update) for unknown or decided calls. */
  check(decision: ApprovalDecision): PendingApproval {
    const { callId } = decision;
    const decided = this.decided.get(callId);
    if (decided) {
      const how = decided.timedOut
        ? 'rejected by its approval timeout'
        : decided.approved
          ? 'approved'
          : 'rejected';
      throw new Error(`tool call ${callId} was already ${how}`);
    }
    const pending = this.pending.get(callId);
    if (pending) return checkApprover(pending, decision);
    const waiting = [...this.pending.keys()].join(', ') || 'none';
    throw new Error(`no tool call ${callId} waits for approval in this run; waiting: ${waiting}`);
  }

  decide(decision: ApprovalDecision): PendingApproval {
    const pending = this.check(decision);
    const { approved, reason, decidedBy } = decision;
    this.decided.set(decision.callId, {
      approved,
      timedOut: false,
      ...(reason === undefined ? {} : { reason }),
      ...(decidedBy === undefined ? {} : { decidedBy }),
    });
    return pending;
  }

  private advertise(): void {
    upsertSearchAttributes([{ key: SearchAttributes.pendingApprovals, value: this.pending.size }]);
  }
}

/** The call, when the decider may decide it: one of its approver roles held, or a trusted operator-side caller. */
function checkApprover(pending: PendingApproval, { deciderRoles }: ApprovalDecision): PendingApproval {
  const needed = pending.approverRoles;
  if (!needed || deciderRoles === undefined || deciderRoles.some((role) => needed.includes(role)))
    return pending;
  const held = deciderRoles.length > 0 ? deciderRoles.join(', ') : 'none';
  throw new Error(
    `tool call ${pending.callId} needs an approver with role ${needed.join(' or ')}; the decider's roles: ${held}`,
  );
}
