import type { ApiHandlers } from './operation-handlers.ts';

/** The feedback operations: the giver is the authenticated caller, never a name from the body. */
export const feedbackHandlers: Pick<ApiHandlers, 'giveFeedback' | 'listRunScores'> = {
  giveFeedback: ({ client, identity }, { params, body }) =>
    client.runs.feedback(params.runId, { ...body, givenBy: identity.subject }),
  async listRunScores({ client }, { params }) {
    return { scores: await client.runs.scores(params.runId) };
  },
};
