import type { ProposalScores } from '../../schema/proposal.ts';

/**
 * The scores of a proposal whose candidate (`e-v2`) held the baseline's (`e-base`) score of 1 over
 * four paired cases at a tenth of its cost per run; `overrides` change any of them.
 */
export function proposalScores(overrides: Partial<ProposalScores> = {}): ProposalScores {
  return {
    baselineScore: 1,
    candidateScore: 1,
    baselineCostPerRun: 0.04,
    candidateCostPerRun: 0.004,
    difference: 0,
    low: 0,
    high: 0,
    pairs: 4,
    margin: 0.02,
    baselineEvalId: 'e-base',
    candidateEvalId: 'e-v2',
    ...overrides,
  };
}
