import type { PendingApproval } from '../../schema/approvals.ts';
import { processMetrics } from './process-metrics.ts';

/** Records how long a tool call waited for its approval decision. */
export function observeApprovalDecision(
  call: Pick<PendingApproval, 'requestedAt'>,
  approved: boolean,
  now: number = Date.now(),
): void {
  const waited = (now - Date.parse(call.requestedAt)) / 1000;
  if (!Number.isFinite(waited)) return;
  processMetrics().approvalDecision.observe(
    { decision: approved ? 'approved' : 'rejected' },
    Math.max(0, waited),
  );
}
