import { ApplicationFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import {
  EVAL_FAILED,
  type EvalCaseRecord,
  type EvalWorkflowInput,
  type EvalWorkflowResult,
} from '../schema/eval-run.ts';
import { mean, percentile } from '../schema/eval-statistics.ts';
import { sumUsage } from '../schema/usage.ts';
import { evalBookkeeping, evalCatalog } from './eval/activities.ts';
import { forEachInLanes } from './eval/bounded-lanes.ts';
import { runEvalCase } from './eval/eval-case.ts';
import { rootFailure } from './failures.ts';

/**
 * One eval run (`eval/<eval id>`): every case of the dataset runs as a real child run of the
 * routine version (at most `concurrency` at a time), its tool calls under the eval tool policy;
 * each is scored and recorded, then the eval's score (the mean of the case scores), passed count,
 * usage and latency percentiles are recorded and returned.
 */
export async function evalWorkflow(input: EvalWorkflowInput): Promise<EvalWorkflowResult> {
  const { evalId, tenantId } = input;
  const records: EvalCaseRecord[] = [];
  try {
    const base = await evalCatalog.prepareEvalRun({
      evalId,
      tenantId,
      routineId: input.routineId,
      version: input.version,
      toolPolicy: input.toolPolicy,
      caseCount: input.cases.length,
      ...(input.dataset === undefined ? {} : { dataset: input.dataset }),
    });
    await forEachInLanes(input.cases, input.concurrency, async (evalCase, index) => {
      records[index] = await runEvalCase(input, base, evalCase, index + 1);
    });
  } catch (error) {
    // Refused (an unknown routine) or cancelled (its case runs are cancelled with it): recorded as failed.
    const cancelled = isCancellation(error);
    const { message, type, hint } = cancelled
      ? { message: 'the eval was cancelled', type: 'Cancelled', hint: undefined }
      : rootFailure(error);
    const failure = { message, type, ...(hint === undefined ? {} : { hint }) };
    await CancellationScope.nonCancellable(() =>
      evalBookkeeping.finishEvalRun({ evalId, tenantId, status: 'failed', error: failure }),
    );
    if (cancelled) throw error;
    throw ApplicationFailure.create({ type: EVAL_FAILED, message, nonRetryable: true, details: [failure] });
  }
  const scores = records.map((record) => record.score);
  const latencies = records.map((record) => record.latencyMs);
  const score = mean(scores);
  const usage = sumUsage(records.map((record) => record.usage));
  const latencyMs = { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  const passedCount = records.filter((record) => record.passed).length;
  await evalBookkeeping.finishEvalRun({
    evalId,
    tenantId,
    status: 'completed',
    score,
    passedCount,
    usage,
    latencyP50Ms: latencyMs.p50,
    latencyP95Ms: latencyMs.p95,
  });
  const { routineId, version } = input;
  return { evalId, routineId, version, score, usage, latencyMs, passedCount, caseCount: records.length };
}
