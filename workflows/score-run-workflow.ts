import { proxyActivities } from '@temporalio/workflow';
import type { EvaluationActivities } from '../activities/evaluation/contract.ts';
import type { LiveScoringRequest } from '../activities/evaluation/live-scoring.ts';
import { bookkeeping } from './effects.ts';

/** Judges are LLM calls: give them time, retry a few times, and never retry what cannot succeed. */
const scoring = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['UnknownRoutine', 'ValidationError'] },
});

/**
 * Scores one sampled production run in the background by its routine version's scorers that need
 * no expected output, and records one live score per scorer (and the run's mean on its row).
 * The runs read model starts it when the run has ended (see activities/evaluation/live-scoring.ts),
 * so the run's result never waits for a judge. Its workflow id is `score/<runId>`.
 * Returns how many scores it recorded (0 when the version has nothing to score a live run by).
 */
export async function scoreRunWorkflow(request: LiveScoringRequest): Promise<number> {
  const scored = await scoring.scoreCase({
    tenantId: request.tenantId,
    routineId: request.routineId,
    version: request.routineVersion,
    runId: request.runId,
    input: request.input,
    output: request.output,
    mode: 'live',
  });
  if (scored === null) return 0;
  return bookkeeping.recordLiveScores({ ...request, scored });
}
