import { executeChild, isCancellation } from '@temporalio/workflow';
import { DEFAULT_CASE_TIMEOUT_MS } from '../../schema/eval-case-timeout.ts';
import type { EvalDatasetRef, EvalWorkflowInput } from '../../schema/eval-run.ts';
import type { EvalCase } from '../../schema/evaluation.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type { evalWorkflow } from '../eval-workflow.ts';
import { rootFailure } from '../failures.ts';
import { bookkeeping } from './activities.ts';

export interface VersionEval {
  evalId: string;
  score: number;
  scores: number[];
  /** Credits the eval spent (case runs and scoring). */
  credits: number;
  costPerRun: number;
}

/** An eval id for `role` of the cycle: derived from the cycle's id, so a replayed cycle never starts it twice. */
export function cycleEvalId(cycleId: string, role: string): string {
  return `${cycleId.replace(/[^\w.-]/g, '.')}.${role}`.slice(-100).replace(/^[.-]+/, '');
}

/**
 * Evaluates one version on the validation cases as a child evalWorkflow (`eval/<eval id>`), and
 * reads its case scores; a failed eval is returned as its error message.
 */
export async function evaluateVersion(
  request: { tenantId: string; routineId: string; version: number; evalId: string; dataset: EvalDatasetRef },
  cases: EvalCase[],
): Promise<VersionEval | { error: string }> {
  const { tenantId, routineId, version, evalId, dataset } = request;
  const input: EvalWorkflowInput = {
    evalId,
    tenantId,
    routineId,
    version,
    cases,
    toolPolicy: 'replay',
    concurrency: 4,
    caseTimeoutMs: DEFAULT_CASE_TIMEOUT_MS,
    dataset,
  };
  try {
    const result = await executeChild<typeof evalWorkflow>('evalWorkflow', {
      workflowId: `eval/${evalId}`,
      args: [input],
      typedSearchAttributes: [
        { key: SearchAttributes.tenant, value: tenantId },
        { key: SearchAttributes.routineId, value: routineId },
        { key: SearchAttributes.routineVersion, value: version },
      ],
    });
    const scores = await bookkeeping.evalCaseScores({ tenantId, evalId });
    const credits = result.usage.credits;
    return {
      evalId,
      score: result.score,
      scores,
      credits,
      costPerRun: credits / Math.max(1, result.caseCount),
    };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { error: rootFailure(error).message };
  }
}
