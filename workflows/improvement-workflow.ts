import { condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { NewProposal } from '../activities/store/proposal-store.ts';
import type { CandidateProposal } from '../schema/improvement.ts';
import type {
  CycleCandidate,
  ImprovementCycleInput,
  ImprovementCycleResult,
  ImprovementCycleState,
  ProposalVerdict,
} from '../schema/improvement-cycle.ts';
import { type Decision, decide } from '../schema/improvement-decision.ts';
import { bookkeeping, evidence, proposing } from './improvement/activities.ts';
import { releaseByCanary } from './improvement/canary-release.ts';
import { CycleBudget } from './improvement/cycle-budget.ts';
import { cycleEvalId, evaluateVersion, type VersionEval } from './improvement/evaluate-version.ts';
import { decideProposalUpdate, improvementStateQuery } from './improvement/messages.ts';

export { decideProposalUpdate, improvementStateQuery };

/** A pending proposal waits this long for a person, then expires. */
const DEFAULT_PROPOSAL_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_APPROVER_ROLES = ['approver', 'admin'];

interface Evaluated {
  entry: CycleCandidate;
  proposal: CandidateProposal;
  eval: VersionEval;
  decision: Decision;
}

/**
 * One improvement cycle of a routine (`improve/<tenant>/<routine>/<cycle>`, or started by the
 * routine's schedule `improve/<tenant>/<routine>`): gathers the evidence, refreshes the dataset,
 * asks the optimizers for candidates, registers each as a `candidate` version, evaluates the
 * baseline and each candidate on the same validation cases with child eval runs (their ids derived
 * from the cycle's, so a replayed cycle never repeats one), decides by the rule that counts
 * uncertainty and cost, and then promotes the best candidate (when the routine's policy allows) or
 * leaves it as a pending proposal that waits durably for a person's decision. Every credit spent on
 * optimizers and evals counts against the cycle's budget; a cycle that would exceed it stops
 * cleanly and reports what it has.
 */
export async function improvementWorkflow(input: ImprovementCycleInput): Promise<ImprovementCycleResult> {
  const { tenantId, routineId } = input;
  const cycleId = workflowInfo().workflowId;
  const approverRoles = input.approverRoles ?? DEFAULT_APPROVER_ROLES;
  const state: ImprovementCycleState = { cycleId, routineId, phase: 'gathering', pending: null };
  let verdict: ProposalVerdict | undefined;
  setHandler(improvementStateQuery, () => state);
  setHandler(
    decideProposalUpdate,
    (decision) => {
      verdict = decision;
      return state.pending as NonNullable<ImprovementCycleState['pending']>;
    },
    { validator: (decision) => checkDecider(state, verdict, decision, approverRoles) },
  );

  const gathered = await evidence.gatherEvidence({ ...input, cycleId });
  const { policy } = gathered;
  const baselineVersion = gathered.evidence.baseline.version;
  const dataset = await evidence.refreshDataset({ tenantId, routineId, policy });
  const budget = new CycleBudget(policy.budgetCredits, policy.maxMetricCalls);
  const candidates: CycleCandidate[] = [];
  const result: ImprovementCycleResult = {
    cycleId,
    routineId,
    baseline: { version: baselineVersion, score: null, costPerRun: null, evalId: null },
    candidates,
    promoted: null,
    spentCredits: 0,
    budgetCredits: policy.budgetCredits,
    stopped: null,
  };
  const finish = (): ImprovementCycleResult => {
    state.phase = 'done';
    return { ...result, spentCredits: budget.spent, metricCalls: budget.metricCalls };
  };
  const retire = (version: number) => bookkeeping.retireVersion({ tenantId, routineId, version });
  /**
   * Makes the chosen candidate active: at once, or, when the policy asks for a canary, after a
   * share of live runs held up; a canary that fell behind marks the proposal rolled back.
   */
  const release = async (entry: CycleCandidate, proposalId: string): Promise<boolean> => {
    const { version } = entry;
    if (policy.canary === undefined || !patched('improvement-canary')) {
      await bookkeeping.promoteVersion({ tenantId, routineId, version });
      return true;
    }
    const rules = policy.canary;
    state.phase = 'canary';
    state.canary = { version, percent: rules.percent, last: 'started' };
    const canary = await releaseByCanary(
      { tenantId, routineId, baselineVersion, candidateVersion: version, rules },
      (last) => {
        state.canary = { version, percent: rules.percent, last };
      },
    );
    result.canary = canary;
    entry.why = `${entry.why}; canary at ${rules.percent}%: ${canary.why}`;
    if (canary.outcome === 'promoted') return true;
    if (canary.outcome !== 'ended') {
      await bookkeeping.rollBackProposal({ tenantId, id: proposalId, why: canary.why });
      entry.decision = 'rolled_back';
    }
    return false;
  };

  // Propose: the optimizers may spend at most half the budget, the rest is for the evals.
  state.phase = 'proposing';
  const proposed = await proposing.proposeCandidates({
    evidence: gathered.evidence,
    optimizers: policy.optimizers,
    budgetCredits: budget.remaining / 2,
  });
  budget.charge(proposed.usage.credits);
  const registered: { entry: CycleCandidate; proposal: CandidateProposal }[] = [];
  for (const proposal of proposed.candidates) {
    const entry: CycleCandidate = {
      version: 0,
      optimizer: proposal.optimizer,
      change: proposal.change,
      score: null,
      costPerRun: null,
      decision: 'skipped',
      why: '',
      evalId: null,
      proposalId: null,
    };
    candidates.push(entry);
    const outcome = await bookkeeping.registerCandidate({
      tenantId,
      cycleId,
      parentVersion: baselineVersion,
      proposal,
      evidence: { runIds: gathered.runIds, evalIds: [] },
    });
    entry.version = outcome.version;
    if (outcome.refused !== undefined) entry.why = `it does not compile: ${outcome.refused}`;
    else if (!outcome.created) entry.why = `it is the same as version ${outcome.version}`;
    else registered.push({ entry, proposal });
  }
  if (registered.length === 0) {
    const notes = proposed.notes.length > 0 ? `: ${proposed.notes.join('; ')}` : '';
    result.stopped = `no new candidate to evaluate${notes}`;
    return finish();
  }
  const skipAll = async (why: string) => {
    for (const { entry } of registered) {
      if (entry.decision !== 'skipped' || entry.why !== '') continue;
      entry.why = why;
      await retire(entry.version);
    }
  };

  // Evaluate the baseline, then each candidate, on the same validation cases.
  state.phase = 'evaluating';
  const datasetRef = { id: dataset.datasetId, version: dataset.version };
  const baselineEstimate = (gathered.evidence.baseline.costPerRun ?? 0) * dataset.validation.length;
  const cases = dataset.validation.length;
  const baselineRefusal = budget.refusal('the baseline eval', baselineEstimate, cases);
  if (baselineRefusal !== undefined) {
    result.stopped = baselineRefusal;
    await skipAll(baselineRefusal);
    return finish();
  }
  const baseline = await evaluateVersion(
    {
      tenantId,
      routineId,
      version: baselineVersion,
      evalId: cycleEvalId(cycleId, 'baseline'),
      dataset: datasetRef,
    },
    dataset.validation,
  );
  if ('error' in baseline) {
    result.stopped = `the baseline eval failed: ${baseline.error}`;
    await skipAll(result.stopped);
    return finish();
  }
  budget.charge(baseline.credits, cases);
  result.baseline = {
    version: baselineVersion,
    score: baseline.score,
    costPerRun: baseline.costPerRun,
    evalId: baseline.evalId,
  };

  const evaluated: Evaluated[] = [];
  for (const { entry, proposal } of registered) {
    const refusal = budget.refusal(`evaluating version ${entry.version}`, baseline.credits, cases);
    if (refusal !== undefined) {
      result.stopped = refusal;
      break;
    }
    const evalId = cycleEvalId(cycleId, `v${entry.version}`);
    const candidate = await evaluateVersion(
      { tenantId, routineId, version: entry.version, evalId, dataset: datasetRef },
      dataset.validation,
    );
    entry.evalId = evalId;
    if ('error' in candidate) {
      entry.decision = 'rejected';
      entry.why = `its eval failed: ${candidate.error}`;
      await retire(entry.version);
      continue;
    }
    budget.charge(candidate.credits, cases);
    entry.score = candidate.score;
    entry.costPerRun = candidate.costPerRun;
    await bookkeeping.recordLineageEvals({
      tenantId,
      routineId,
      version: entry.version,
      evalIds: [baseline.evalId, evalId],
    });
    const decision = decide(
      { version: baselineVersion, scores: baseline.scores, costPerRun: baseline.costPerRun },
      { version: entry.version, scores: candidate.scores, costPerRun: candidate.costPerRun },
      policy.margin,
    );
    evaluated.push({ entry, proposal, eval: candidate, decision });
  }
  if (result.stopped !== null) await skipAll(result.stopped);

  // Decide: the best promotable candidate is proposed (or promoted); every other one is rejected.
  state.phase = 'deciding';
  const chosen = evaluated
    .filter((one) => one.decision.verdict === 'promote')
    .sort(
      (a, b) =>
        b.decision.candidateScore - a.decision.candidateScore ||
        a.decision.candidateCostPerRun - b.decision.candidateCostPerRun ||
        a.entry.version - b.entry.version,
    )[0];
  const proposalOf = (one: Evaluated, decision: NewProposal['decision'], why: string): NewProposal => ({
    tenantId,
    routineId,
    cycleId,
    candidateVersion: one.entry.version,
    baselineVersion,
    optimizer: one.proposal.optimizer,
    change: one.proposal.change,
    decision,
    why,
    scores: { ...one.decision, baselineEvalId: baseline.evalId, candidateEvalId: one.eval.evalId },
    ...(decision === 'pending' ? {} : { decidedBy: decision === 'promoted' ? 'policy' : 'rule' }),
  });
  for (const one of evaluated) {
    if (one === chosen) continue;
    const why =
      one.decision.verdict === 'reject'
        ? one.decision.why
        : `version ${chosen?.entry.version} did better (${one.decision.why})`;
    one.entry.decision = 'rejected';
    one.entry.why = why;
    one.entry.proposalId = await bookkeeping.recordProposal(proposalOf(one, 'rejected', why));
    await retire(one.entry.version);
  }
  if (chosen === undefined) return finish();

  const { entry } = chosen;
  entry.why = chosen.decision.why;
  if (policy.autoPromote) {
    const id = await bookkeeping.recordProposal(proposalOf(chosen, 'promoted', entry.why));
    entry.proposalId = id;
    entry.decision = 'promoted';
    if (await release(entry, id)) result.promoted = entry.version;
    return finish();
  }

  // A person decides: the cycle waits durably, across worker restarts, until the update or the timeout.
  const proposalId = await bookkeeping.recordProposal(proposalOf(chosen, 'pending', entry.why));
  entry.proposalId = proposalId;
  entry.decision = 'pending';
  state.pending = { proposalId, candidateVersion: entry.version };
  state.phase = 'waiting';
  const timeoutMs = input.proposalTimeoutMs ?? DEFAULT_PROPOSAL_TIMEOUT_MS;
  const decided = await condition(() => verdict !== undefined, timeoutMs);
  state.pending = null;
  const by = verdict?.decidedBy;
  const reason = verdict?.reason;
  const common = {
    tenantId,
    id: proposalId,
    ...(by === undefined ? {} : { by }),
    ...(reason === undefined ? {} : { reason }),
  };
  if (!decided || verdict === undefined) {
    await bookkeeping.recordProposalDecision({ tenantId, id: proposalId, decision: 'expired' });
    entry.decision = 'expired';
    entry.why = `${entry.why}; nobody decided within ${timeoutMs} ms`;
    await retire(entry.version);
  } else if (verdict.approved) {
    await bookkeeping.recordProposalDecision({ ...common, decision: 'approved' });
    entry.decision = 'approved';
    if (await release(entry, proposalId)) result.promoted = entry.version;
  } else {
    await bookkeeping.recordProposalDecision({ ...common, decision: 'rejected' });
    entry.decision = 'rejected';
    entry.why = `rejected by ${by ?? 'a person'}${reason === undefined ? '' : `: ${reason}`} (${entry.why})`;
    await retire(entry.version);
  }
  return finish();
}

/** Refuses a decision when nothing waits, it was decided, or the decider holds no approver role. */
function checkDecider(
  state: ImprovementCycleState,
  decided: ProposalVerdict | undefined,
  decision: ProposalVerdict,
  approverRoles: readonly string[],
): void {
  if (decided !== undefined) throw new Error(`the proposal of cycle ${state.cycleId} was already decided`);
  if (state.pending === null) {
    throw new Error(`cycle ${state.cycleId} has no proposal waiting for a decision (it is ${state.phase})`);
  }
  const roles = decision.deciderRoles;
  if (roles === undefined || roles.some((role) => approverRoles.includes(role))) return;
  const held = roles.length > 0 ? roles.join(', ') : 'none';
  throw new Error(
    `deciding a proposal needs the role ${approverRoles.join(' or ')}; the decider's roles: ${held}`,
  );
}
