import type { JsonValue } from '../../schema/json.ts';
import type { Proposal } from '../../schema/proposal.ts';
import type { KnowledgeEntry } from '../store/knowledge-store.ts';

/** What each decision means, in the words a search would use. */
const OUTCOME: Record<Proposal['decision'], string> = {
  pending: 'waits for a person to approve or reject it',
  promoted: 'was promoted by policy: the candidate became the active version',
  approved: 'was approved: the candidate became the active version',
  rejected: 'was rejected: the baseline stayed active',
  expired: 'expired: nobody decided in time, so the baseline stayed active',
  rolled_back:
    'was rolled back: released as a canary, its live runs fell behind the baseline, which stayed active',
};

/**
 * A proposal as one knowledge entry (kind `proposal`, source id the proposal's id): the routine,
 * the baseline and candidate versions, the optimizer and its change, the scores and the cost per
 * run, and the decision with who took it and why. The same proposal always maps to the same entry,
 * so indexing it again after its decision changed replaces the text instead of adding a second one.
 */
export function proposalKnowledge(proposal: Proposal): KnowledgeEntry {
  const { scores } = proposal;
  const cost =
    scores.candidateCostPerRun < scores.baselineCostPerRun
      ? 'cheaper'
      : scores.candidateCostPerRun > scores.baselineCostPerRun
        ? 'more expensive'
        : 'as expensive';
  const by = proposal.decidedBy === null ? '' : ` (decided by ${proposal.decidedBy})`;
  const reason = proposal.reason === null ? '' : ` Their reason: ${proposal.reason}.`;
  const content = [
    `Improvement proposal for routine ${proposal.routineId}: version ${proposal.candidateVersion} (candidate) against version ${proposal.baselineVersion} (baseline).`,
    `Optimizer ${proposal.optimizer} changed: ${proposal.change}.`,
    `Score: candidate ${round(scores.candidateScore)} vs baseline ${round(scores.baselineScore)} (difference ${round(scores.difference)}, 95% CI ${round(scores.low)} to ${round(scores.high)}, ${scores.pairs} paired cases, margin ${scores.margin}).`,
    `Cost per run: candidate ${round(scores.candidateCostPerRun)} vs baseline ${round(scores.baselineCostPerRun)} credits: the candidate is ${cost}.`,
    `Decision: ${proposal.decision}${by}; the proposal ${OUTCOME[proposal.decision]}.${reason}`,
    `Why: ${proposal.why}`,
    `Cycle ${proposal.cycleId}; evals ${scores.baselineEvalId} (baseline) and ${scores.candidateEvalId} (candidate).`,
  ].join('\n');
  const metadata: Record<string, JsonValue> = {
    proposalId: proposal.id,
    routineId: proposal.routineId,
    cycleId: proposal.cycleId,
    baselineVersion: proposal.baselineVersion,
    candidateVersion: proposal.candidateVersion,
    optimizer: proposal.optimizer,
    change: proposal.change,
    decision: proposal.decision,
    decidedBy: proposal.decidedBy,
    reason: proposal.reason,
    why: proposal.why,
    scores: { ...scores },
  };
  return {
    kind: 'proposal',
    sourceId: proposal.id,
    chunk: 0,
    title:
      `Proposal for ${proposal.routineId} v${proposal.candidateVersion} (${proposal.decision}): ${proposal.change}`.slice(
        0,
        500,
      ),
    content,
    metadata,
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
