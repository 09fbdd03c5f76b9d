import { z } from 'zod';
import { RunId } from '../run.ts';
import { RunFeedback, RunScoreRecord } from '../run-score.ts';
import { defineOperation } from './operation.ts';

const runParams = z.strictObject({ runId: RunId });

/** Who gives the feedback is the caller: the body never names a giver. */
export const FeedbackBody = RunFeedback.omit({ givenBy: true }).strict();
export type FeedbackBody = z.input<typeof FeedbackBody>;

/** Feedback on runs and the scores they got. */
export const feedbackOperations = {
  giveFeedback: defineOperation({
    method: 'POST',
    path: '/v1/runs/:runId/feedback',
    family: 'runs',
    permission: 'runs:feedback',
    summary:
      'Score a run from 0 to 1, with a comment; recorded as given by the caller, whose feedback on the same aspect again replaces it',
    params: runParams,
    body: FeedbackBody,
    response: RunScoreRecord,
    status: 201,
    audit: { action: 'runs.feedback', target: 'run' },
  }),
  listRunScores: defineOperation({
    method: 'GET',
    path: '/v1/runs/:runId/scores',
    family: 'runs',
    permission: 'runs:read',
    summary: "A run's scores: live scorers', evals', people's feedback, approval and user-task decisions",
    params: runParams,
    response: z.object({ scores: z.array(RunScoreRecord) }),
    status: 200,
  }),
} as const;
