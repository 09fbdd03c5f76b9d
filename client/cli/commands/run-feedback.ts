import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { RunFeedback } from '../../../schema/run-score.ts';
import { parseInput } from '../../../schema/validation.ts';
import { remoteTarget, withClient } from '../context.ts';
import { printJson, printTable } from '../output.ts';

/** `runs feedback` and `runs scores`, under the `runs` command. */
export function runFeedbackCommands(runs: Command): void {
  runs
    .command('feedback <run-id>')
    .description(
      "score a run from 0 (bad) to 1 (good); recorded as yours (the API key's identity, or on this machine your user name)",
    )
    .requiredOption('--score <0..1>', 'the score: 0 is the worst, 1 the best')
    .option('--comment <text>', 'why')
    .option('--name <aspect>', 'the aspect scored, e.g. helpfulness', 'feedback')
    .option('--json', 'print JSON')
    .action(
      async (runId: string, options: { score: string; comment?: string; name: string; json?: boolean }) => {
        const score = options.score.trim() === '' ? Number.NaN : Number(options.score);
        const feedback = parseInput(
          RunFeedback,
          {
            score,
            name: options.name,
            ...(options.comment === undefined ? {} : { comment: options.comment }),
            // Remote mode sends no giver: the server records the key's identity.
            ...(remoteTarget() ? {} : { givenBy: `cli:${userInfo().username}` }),
          },
          'feedback',
        );
        const recorded = await withClient((client) => client.runs.feedback(runId, feedback));
        if (options.json) return printJson(recorded);
        process.stdout.write(
          `run ${runId}: ${recorded.name} ${recorded.score} recorded as given by ${recorded.givenBy ?? 'nobody'}\n`,
        );
      },
    );

  runs
    .command('scores <run-id>')
    .description("a run's scores: live scorers', evals', feedback, approval and user-task decisions")
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      const scores = await withClient((client) => client.runs.scores(runId));
      if (options.json) return printJson(scores);
      printTable(
        scores.map((s) => ({
          source: s.source,
          name: s.name,
          score: s.score,
          by: s.givenBy,
          reason: s.reason,
          at: s.createdAt.toISOString(),
        })),
      );
    });
}
