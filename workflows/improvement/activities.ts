import { proxyActivities } from '@temporalio/workflow';
import type { ImprovementActivities } from '../../activities/improvement/contract.ts';

/** Reads and writes of rows: short, retried until they succeed. */
export const bookkeeping = proxyActivities<ImprovementActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/** Gathering evidence and refreshing the dataset: a few tries; a routine without cases is final. */
export const evidence = proxyActivities<ImprovementActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['NoImprovementCases'] },
});

/** The optimizers: LLM calls, so minutes; one retry (a failing optimizer becomes a note, not a failure). */
export const proposing = proxyActivities<ImprovementActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 2 },
});
