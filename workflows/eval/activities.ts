import { proxyActivities } from '@temporalio/workflow';
import type { EvalRunActivities } from '../../activities/eval-runs/contract.ts';
import type { EvaluationActivities } from '../../activities/evaluation/contract.ts';

/** The eval's rows: short writes, retried until they succeed. */
export const evalBookkeeping = proxyActivities<EvalRunActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** Loading the routine version to evaluate: a few tries; an unknown routine is final. */
export const evalCatalog = proxyActivities<EvalRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['UnknownRoutine'] },
});

/** Scoring a case: judges are LLM calls, so minutes and a few retries. */
export const scoring = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 4, nonRetryableErrorTypes: ['UnknownRoutine'] },
});
