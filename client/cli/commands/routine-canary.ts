import type { Command } from 'commander';
import { z } from 'zod';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { remoteTarget, withDirectClient } from '../context.ts';

const CanaryArgs = z.object({
  routine: RoutineId,
  version: z.coerce.number({ error: '<version> takes a whole number' }).int().positive().optional(),
  percent: z.coerce.number({ error: '--percent takes a whole number from 1 to 99' }).optional(),
  minRuns: z.coerce.number({ error: '--min-runs takes a whole number' }).optional(),
  failureMargin: z.coerce.number({ error: '--failure-margin takes a number from 0 to 1' }).optional(),
  scoreMargin: z.coerce.number({ error: '--score-margin takes a number from 0 to 1' }).optional(),
  checkEvery: z.coerce.number({ error: '--check-every takes seconds' }).optional(),
  maxDuration: z.coerce.number({ error: '--max-duration takes seconds' }).optional(),
  end: z.boolean().optional(),
  wait: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** `routine canary`: release a version to a share of new runs, show the canary going on, end it, or wait for it. */
export function routineCanaryCommand(routine: Command): void {
  routine
    .command('canary <routine> [version]')
    .description(
      'release a candidate or draft version to --percent of new runs; it becomes active when its live runs hold up, and is rolled back when they fall behind. Without a version: show the canary going on',
    )
    .option('--percent <n>', 'the share of new runs, 1 to 99, that start the version')
    .option('--min-runs <n>', 'runs needed before it is judged (default 20)')
    .option(
      '--failure-margin <x>',
      'roll back when its failure rate exceeds the baseline’s by more (default 0.05)',
    )
    .option('--score-margin <x>', 'roll back when its mean live score is lower by more (default 0.05)')
    .option('--check-every <seconds>', 'how often to compare (default 300)')
    .option(
      '--max-duration <seconds>',
      'how long to wait for enough runs, then keep the baseline (default 86400)',
    )
    .option('--end', 'end the canary going on now, keeping the active version')
    .option('--wait', 'wait until the canary is judged')
    .option('--json', 'print JSON')
    .action(async (id: string, version: string | undefined, options: Record<string, unknown>) => {
      const args = parseInput(CanaryArgs, { routine: id, version, ...options }, 'routine canary arguments');
      const print = (value: unknown, text: string) =>
        process.stdout.write(args.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
      if (remoteTarget() !== undefined) {
        throw new ValidationError('routine canary options', [
          '--url/--api-key: this command runs in direct mode; leave them out',
        ]);
      }
      await withDirectClient(async (client) => {
        if (args.end) {
          const ended = await client.canary.end(args.routine);
          return print(
            ended,
            `${ended.routineId}: the canary of version ${ended.version} ended; every new run starts version ${ended.activeVersion}`,
          );
        }
        if (args.version !== undefined) {
          if (args.percent === undefined) {
            throw new ValidationError('routine canary options', [
              '--percent: give the share of new runs, 1 to 99',
            ]);
          }
          const started = await client.canary.start({
            routineId: args.routine,
            version: args.version,
            percent: args.percent,
            ...(args.minRuns === undefined ? {} : { minRuns: args.minRuns }),
            ...(args.failureMargin === undefined ? {} : { failureMargin: args.failureMargin }),
            ...(args.scoreMargin === undefined ? {} : { scoreMargin: args.scoreMargin }),
            ...(args.checkEvery === undefined ? {} : { checkEveryMs: Math.round(args.checkEvery * 1000) }),
            ...(args.maxDuration === undefined ? {} : { maxDurationMs: Math.round(args.maxDuration * 1000) }),
          });
          if (!args.wait) {
            return print(
              started,
              `${started.routineId}: ${started.percent}% of new runs start version ${started.version}, the others version ${started.activeVersion}; watched by ${started.workflowId} (swarmflow routine canary ${started.routineId} --wait)`,
            );
          }
        }
        if (args.wait) {
          const report = await client.canary.result(args.routine);
          return print(
            report,
            `${args.routine}: canary of version ${report.version} ${report.outcome.replace('_', ' ')}: ${report.why}`,
          );
        }
        const current = await client.canary.current(args.routine);
        print(
          current ?? null,
          current === undefined
            ? `${args.routine}: no canary release going on`
            : `${current.routineId}: ${current.percent}% of new runs start version ${current.version} since ${current.startedAt.toISOString()}, the others version ${current.activeVersion}`,
        );
      });
    });
}
