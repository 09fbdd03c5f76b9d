import { proxyActivities } from '@temporalio/workflow';
import type {
  EvaluationActivities,
  ScoreCaseInput,
  ScoredCase,
} from '../../../activities/evaluation/contract.ts';

const { scoreCase } = proxyActivities<EvaluationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Calls the worker's scoreCase activity once, as the eval and live-scoring workflows do. */
export async function scoreCaseCallerWorkflow(input: ScoreCaseInput): Promise<ScoredCase | null> {
  return scoreCase(input);
}
