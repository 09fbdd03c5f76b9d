import { describe, expect, it } from 'vitest';
import { decisionCommands, parkedCycleJson } from '../../../client/cli/cycle-output.ts';
import { parkedCycle } from '../../../client/parked-cycle.ts';
import type { Proposal } from '../../../schema/proposal.ts';
import { proposalScores } from '../../support/proposal-scores.ts';

const cycleId = 'improve/acme/triage/c-1';

function proposal(version: number, decision: Proposal['decision'], why: string): Proposal {
  return {
    id: `${cycleId}/v${version}`,
    tenantId: 'acme',
    routineId: 'triage',
    cycleId,
    candidateVersion: version,
    baselineVersion: 1,
    optimizer: 'modelSelection',
    change: `model m${version} for step classify (premium)`,
    decision,
    why,
    scores: proposalScores({ candidateScore: version === 2 ? 1 : 0.5, candidateEvalId: `e-v${version}` }),
    decidedBy: null,
    reason: null,
    createdAt: new Date(0),
    decidedAt: null,
  };
}

describe('a cycle parked on its proposal', () => {
  const proposals = [
    proposal(2, 'pending', 'the same score, at lower cost'),
    proposal(3, 'rejected', 'worse'),
  ];
  const waiting = {
    cycleId,
    routineId: 'triage',
    pending: { proposalId: `${cycleId}/v2`, candidateVersion: 2 },
  };

  it('is read from the state query and the recorded proposals, only while it waits', () => {
    expect(parkedCycle({ ...waiting, phase: 'evaluating', pending: null }, proposals)).toBeUndefined();
    expect(parkedCycle({ ...waiting, phase: 'waiting' }, [])).toBeUndefined();
    const cycle = parkedCycle({ ...waiting, phase: 'waiting' }, proposals);
    expect(cycle?.baseline).toEqual({ version: 1, score: 1, costPerRun: 0.04, evalId: 'e-base' });
    expect(cycle?.candidates.map((c) => [c.version, c.decision, c.score, c.why])).toEqual([
      [2, 'pending', 1, 'the same score, at lower cost'],
      [3, 'rejected', 0.5, 'worse'],
    ]);
  });

  it('prints the documented JSON with the commands that decide it, quoted for the shell when needed', () => {
    const cycle = parkedCycle({ ...waiting, phase: 'waiting' }, proposals);
    if (cycle === undefined) throw new Error('not parked');
    const commands = decisionCommands(cycle);
    expect(commands).toEqual({
      approve: `swarmflow improve approve triage ${cycleId}/v2`,
      reject: `swarmflow improve reject triage ${cycleId}/v2`,
    });
    const json = parkedCycleJson(cycle, commands);
    expect(Object.keys(json)).toEqual([
      'routineId',
      'baseline',
      'candidates',
      'promoted',
      'pending',
      'cycleId',
    ]);
    expect(json.pending).toEqual({ proposalId: `${cycleId}/v2`, candidateVersion: 2, ...commands });
    expect(decisionCommands({ ...cycle, routineId: "it's" }).approve).toBe(
      `swarmflow improve approve 'it'\\''s' ${cycleId}/v2`,
    );
  });
});
