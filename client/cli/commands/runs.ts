import type { Command } from 'commander';
import { RunStatus } from '../../../schema/run.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withClient } from '../context.ts';
import { parseJsonObjectOption } from '../json-option.ts';
import { printJson, printOutcome, printTable, runOutcomeJson } from '../output.ts';
import { runFeedbackCommands } from './run-feedback.ts';

export function runsCommands(program: Command): void {
  const runs = program.command('runs').description('inspect and control runs');

  runs
    .command('status <run-id>')
    .description('where the tokens of a run are, what it has done so far')
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      const state = await withClient((client) => client.getRunState(runId));
      if (options.json) printJson(state);
      else printOutcome(state);
    });

  runs
    .command('result <run-id>')
    .description(
      'wait for a run to end, or to park on an incident or a budget, and print its outcome as JSON {runId, status, outputs, trace, usage, error?}',
    )
    .option('--wait-through-incidents', 'keep waiting while the run is parked on an incident or a budget')
    .action(async (runId: string, options: { waitThroughIncidents?: boolean }) => {
      const untilParked = !options.waitThroughIncidents;
      const outcome = await withClient((client) => client.awaitRun(runId, { untilParked }));
      printJson(runOutcomeJson(outcome));
      if (outcome.status !== 'completed') process.exitCode = 1;
    });

  runs
    .command('cancel <run-id>')
    .description('cancel a run: running steps stop, the run ends as cancelled')
    .action(async (runId: string) => {
      await withClient((client) => client.cancelRun(runId));
      process.stdout.write(`cancel requested for run ${runId}\n`);
    });

  runs
    .command('resolve <run-id>')
    .description('retry the element a run is parked on as an incident, after setting variables')
    .option('--set <json>', 'variables to set first, as a JSON object')
    .action(async (runId: string, options: { set?: string }) => {
      const variables = parseJsonObjectOption(options.set, '--set');
      await withClient((client) => client.resolveIncident(runId, { variables }));
      process.stdout.write(`incident of run ${runId} resolved: retrying\n`);
    });

  runs
    .command('resume <run-id>')
    .description('raise the budgets a paused run waits on, so it goes on')
    .requiredOption(
      '--limits <json>',
      'budgets as JSON: maxCredits, maxTokens, maxToolCalls, maxDurationMs, onLimit',
    )
    .action(async (runId: string, options: { limits: string }) => {
      const limits = parseJsonObjectOption(options.limits, '--limits');
      await withClient((client) => client.resumeRun(runId, { limits }));
      process.stdout.write(`run ${runId} resumed with ${JSON.stringify(limits)}\n`);
    });

  runs
    .command('list')
    .description('list recent runs')
    .option('--routine <id>', 'only runs of this routine')
    .option('--status <status>', `only runs with this status (${RunStatus.options.join(', ')})`)
    .option('--limit <n>', 'at most this many', Number, 50)
    .option('--json', 'print JSON')
    .action(async (options: { routine?: string; status?: string; limit: number; json?: boolean }) => {
      const status =
        options.status === undefined ? undefined : parseInput(RunStatus, options.status, '--status');
      const list = await withClient((client) =>
        client.listRuns({
          limit: options.limit,
          ...(options.routine ? { routineId: options.routine } : {}),
          ...(status ? { status } : {}),
        }),
      );
      if (options.json) return printJson(list);
      printTable(
        list.map((r) => ({
          run: r.runId,
          routine: `${r.routineId}@${r.routineVersion}`,
          status: r.status,
          started: r.startedAt.toISOString(),
          score: r.score ?? null,
        })),
      );
    });

  runFeedbackCommands(runs);
}
