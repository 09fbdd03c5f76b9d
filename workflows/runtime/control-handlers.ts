import { setHandler } from '@temporalio/workflow';
import { ApprovalDecision } from '../../schema/approvals.ts';
import { ResumeRunRequest } from '../../schema/budget.ts';
import { parseInput } from '../../schema/validation.ts';
import { decideApprovalUpdate, resumeRunUpdate } from '../definitions.ts';
import type { RunContext } from './run-context.ts';

/**
 * The updates that let people control a run's Tier 3 work: deciding parked tool calls and
 * raising the budgets a paused run waits on. Validators reject before anything is recorded.
 */
export function installBudgetAndApprovalHandlers(run: RunContext): void {
  const decision = (input: unknown) => parseInput(ApprovalDecision, input, 'approval decision');
  const resume = (input: unknown) => parseInput(ResumeRunRequest, input, 'resume request');
  setHandler(decideApprovalUpdate, (input) => run.approvals.decide(decision(input)), {
    validator: (input) => void run.approvals.check(decision(input)),
  });
  setHandler(resumeRunUpdate, (input) => run.budget.resume(resume(input)), {
    validator: (input) => run.budget.checkResume(resume(input)),
  });
}
