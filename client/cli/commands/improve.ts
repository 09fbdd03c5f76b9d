import type { Command } from 'commander';
import { z } from 'zod';
import { OptimizerName } from '../../../schema/optimizer-name.ts';
import { ProposalDecision } from '../../../schema/proposal.ts';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import { refuseRemote, withClient } from '../context.ts';
import { cycleJson, decisionCommands, outcomeJson, printCycleOutcome } from '../cycle-output.ts';
import { printJson, printTable } from '../output.ts';
import { registerEmbeddedCycleRoutine } from './improve-embedded.ts';

export { cycleJson };

const optimizerList = z
  .string()
  .transform((text) => text.split(',').map((name) => name.trim()))
  .pipe(z.array(OptimizerName).min(1));

const CycleOptions = {
  autoPromote: z.boolean().optional(),
  budget: z.coerce.number({ error: '--budget takes a number of credits' }).positive().optional(),
  optimizers: optimizerList.optional(),
};

const ScheduleArgs = z.object({
  routine: RoutineId,
  every: z.string().optional(),
  cron: z.string().optional(),
  ...CycleOptions,
});
const RunArgs = z
  .object({
    routine: z.string().min(1),
    cycle: z.string().optional(),
    wait: z.boolean().optional(),
    waitForDecision: z.boolean().optional(),
    json: z.boolean().optional(),
    embedded: z.boolean().optional(),
    dataset: z.string().min(1).optional(),
    ...CycleOptions,
  })
  .superRefine((args, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (args.embedded) {
      if (args.waitForDecision)
        issue(
          'waitForDecision',
          'nobody can decide a proposal on the throwaway stack of --embedded; give --auto-promote instead',
        );
      if (args.dataset === undefined)
        issue('dataset', '--embedded starts an empty stack: give --dataset <cases.jsonl> to evaluate on');
    } else {
      if (args.dataset !== undefined)
        issue(
          'dataset',
          "--dataset goes with --embedded; otherwise name a stored dataset in the routine's improvement section",
        );
      if (!RoutineId.safeParse(args.routine).success)
        issue('routine', 'give a routine id (a routine file goes with --embedded)');
    }
  });
type RunArgs = z.infer<typeof RunArgs>;
const ProposalsArgs = z.object({
  routine: RoutineId.optional(),
  decision: ProposalDecision.optional(),
  json: z.boolean().optional(),
});
const DecideArgs = z.object({
  routine: RoutineId,
  proposal: z.string().min(1),
  reason: z.string().min(1).optional(),
  by: z.string().min(1).optional(),
});

/**
 * The client the improvement commands use: the remote SDK on the API server with --url and
 * --api-key (the key's role must allow the operation; a decision is recorded as the key's), else
 * the direct SDK on Temporal and PostgreSQL.
 */
function withImprovementClient<T>(_command: string, work: (client: SwarmflowApi) => Promise<T>): Promise<T> {
  return withClient(work);
}

export function improveCommands(program: Command): void {
  const improve = program
    .command('improve')
    .description('improvement cycles: schedule and run them, decide their proposals');
  const cycleFlags = (command: Command) =>
    command
      .option('--auto-promote', "promote a better candidate without a person (default: the routine's policy)")
      .option('--budget <credits>', "credits a cycle may spend (default: the routine's policy, else 100)")
      .option('--optimizers <names>', 'comma-separated optimizers, e.g. modelSelection,reflectivePrompt');

  cycleFlags(
    improve
      .command('schedule <routine>')
      .description(
        'create the Temporal Schedule improve/<tenant>/<routine> (a cycle still going when the next is due is skipped)',
      )
      .option('--every <interval>', 'e.g. 1d, 12h')
      .option('--cron <expression>', 'e.g. "0 3 * * *"'),
  ).action(async (routine: string, options: Record<string, unknown>) => {
    const args = parseInput(ScheduleArgs, { routine, ...options }, 'improve schedule arguments');
    const schedule = await withImprovementClient('improve schedule', (client) =>
      client.improvement.schedule({
        routineId: args.routine,
        ...(args.every === undefined ? {} : { every: args.every }),
        ...(args.cron === undefined ? {} : { cron: args.cron }),
        ...(args.autoPromote === undefined ? {} : { autoPromote: args.autoPromote }),
        ...(args.budget === undefined ? {} : { budgetCredits: args.budget }),
        ...(args.optimizers === undefined ? {} : { optimizers: args.optimizers }),
      }),
    );
    const when = schedule.every !== null ? `every ${schedule.every}` : `on "${schedule.cron}"`;
    process.stdout.write(`scheduled ${schedule.scheduleId} ${when} (temporal schedule list shows it)\n`);
  });

  improve
    .command('unschedule <routine>')
    .description("delete the routine's improvement schedule")
    .action(async (routine: string) => {
      const id = parseInput(RoutineId, routine, 'routine id');
      const deleted = await withImprovementClient('improve unschedule', (client) =>
        client.improvement.unschedule(id),
      );
      process.stdout.write(
        deleted ? `deleted the schedule of ${id}\n` : `${id} has no improvement schedule\n`,
      );
    });

  cycleFlags(
    improve
      .command('run <routine>')
      .description('run one improvement cycle now')
      .option('--cycle <name>', 'name the cycle (default: generated)')
      .option(
        '--wait',
        'wait until the cycle ends, or parks on a pending proposal (then print it and the commands that decide it)',
      )
      .option('--wait-for-decision', 'wait through a pending proposal until it is decided (or it expires)')
      .option(
        '--json',
        'print JSON: {routineId, baseline, candidates, promoted, pending?} with --wait, else {cycleId, routineId}',
      )
      .option(
        '--embedded',
        'on a throwaway server, database and worker: <routine> is a routine file, evaluated on --dataset (waits)',
      )
      .option('--dataset <cases.jsonl>', 'with --embedded: the cases the cycle evaluates on'),
  ).action(async (routine: string, options: Record<string, unknown>) => {
    const args = parseInput(RunArgs, { routine, ...options }, 'improve run arguments');
    if (args.embedded) {
      refuseRemote('--embedded', 'improve run');
      await withEmbeddedStack(async (client) => {
        const routineId = await registerEmbeddedCycleRoutine(client, args.routine, args.dataset as string);
        await runCycle(client, { ...args, routine: routineId, wait: true });
      });
      return;
    }
    await withImprovementClient('improve run', (client) => runCycle(client, args));
  });

  improve
    .command('proposals')
    .description('list improvement proposals, newest first')
    .option('--routine <id>', 'only this routine')
    .option('--decision <decision>', 'pending, approved, rejected, promoted or expired')
    .option('--json', 'print JSON')
    .action(async (options: Record<string, unknown>) => {
      const args = parseInput(ProposalsArgs, options, 'improve proposals options');
      const proposals = await withImprovementClient('improve proposals', (client) =>
        client.improvement.proposals({
          ...(args.routine === undefined ? {} : { routineId: args.routine }),
          ...(args.decision === undefined ? {} : { decision: args.decision }),
        }),
      );
      if (args.json) return printJson(proposals);
      printTable(
        proposals.map((p) => ({
          id: p.id,
          routine: p.routineId,
          candidate: p.candidateVersion,
          baseline: p.baselineVersion,
          decision: p.decision,
          change: p.change,
          why: p.why,
        })),
      );
    });

  for (const verb of ['approve', 'reject'] as const) {
    improve
      .command(`${verb} <routine> <cycle-or-proposal>`)
      .description(
        verb === 'approve'
          ? 'approve a pending proposal: its cycle promotes the candidate'
          : 'reject a pending proposal',
      )
      .option('--reason <text>', 'why')
      .option('--by <name>', 'who decides (recorded with the decision)')
      .action(async (routine: string, proposal: string, options: Record<string, unknown>) => {
        const args = parseInput(DecideArgs, { routine, proposal, ...options }, `improve ${verb} arguments`);
        const decided = await withImprovementClient(`improve ${verb}`, async (client) => {
          const found = await client.improvement.proposals({ routineId: args.routine, decision: 'pending' });
          const match = found.find(
            (p) =>
              p.id === args.proposal ||
              p.cycleId === args.proposal ||
              p.cycleId.endsWith(`/${args.proposal}`),
          );
          const request = {
            proposal: match?.id ?? args.proposal,
            ...(args.reason === undefined ? {} : { reason: args.reason }),
            ...(args.by === undefined ? {} : { decidedBy: args.by }),
          };
          return verb === 'approve'
            ? client.improvement.approve(request)
            : client.improvement.reject(request);
        });
        const done = verb === 'approve' ? 'approved' : 'rejected';
        process.stdout.write(
          `${done} ${decided.id}: ${decided.routineId} version ${decided.candidateVersion}\n`,
        );
      });
  }
}

/** Starts the cycle; with --wait (or --embedded) waits until it ends or parks on its proposal, and prints it. */
async function runCycle(client: SwarmflowApi, args: RunArgs): Promise<void> {
  const started = await client.improvement.start({
    routineId: args.routine,
    ...(args.cycle === undefined ? {} : { cycle: args.cycle }),
    ...(args.autoPromote === undefined ? {} : { autoPromote: args.autoPromote }),
    ...(args.budget === undefined ? {} : { budgetCredits: args.budget }),
    ...(args.optimizers === undefined ? {} : { optimizers: args.optimizers }),
  });
  if (!args.wait && !args.waitForDecision) {
    if (args.json) return printJson(started);
    process.stdout.write(`started ${started.cycleId}\n`);
    return;
  }
  const outcome = await client.improvement.awaitCycle(started.cycleId, {
    untilParked: !args.waitForDecision,
  });
  // On the throwaway stack of --embedded nobody is left to decide: no commands to print.
  const commands = outcome.status === 'waiting' && !args.embedded ? decisionCommands(outcome.cycle) : null;
  if (args.json) return printJson(outcomeJson(outcome, commands));
  printCycleOutcome(
    outcome,
    commands,
    'The throwaway stack of --embedded ends here and the proposal with it: give --auto-promote to let the cycle promote.',
  );
}
