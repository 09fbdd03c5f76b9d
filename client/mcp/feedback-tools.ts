import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RunId } from '../../schema/run.ts';
import { RunFeedback } from '../../schema/run-score.ts';
import { guardedTool, type McpAccess } from './guarded-tool.ts';
import { jsonResult } from './tool-result.ts';

/** give_feedback and run_scores: people's (and agents') scores on runs. */
export function registerFeedbackTools(server: McpServer, access: McpAccess): void {
  guardedTool(
    server,
    access,
    'give_feedback',
    {
      title: 'Give feedback on a run',
      description:
        'Score a run from 0 (bad) to 1 (good), with an optional comment and the aspect scored (name, default "feedback"). ' +
        "It is recorded as given by the caller; the same aspect again replaces the caller's earlier score.",
      inputSchema: z.strictObject({ runId: RunId, ...RunFeedback.omit({ givenBy: true }).shape }),
    },
    async ({ runId, ...feedback }, { client, identity }) =>
      jsonResult(await client.runs.feedback(runId, { ...feedback, givenBy: identity.subject })),
  );

  guardedTool(
    server,
    access,
    'run_scores',
    {
      title: "A run's scores",
      description:
        "A run's scores, oldest first: live scorers', evals', people's feedback, approval and user-task decisions, each with who gave it.",
      inputSchema: z.strictObject({ runId: RunId }),
      annotations: { readOnlyHint: true },
    },
    async ({ runId }, { client }) => jsonResult({ scores: await client.runs.scores(runId) }),
  );
}
