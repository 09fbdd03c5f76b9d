import type { Command } from 'commander';
import { z } from 'zod';
import type { ImprovementCycleResult } from '../../../schema/improvement-cycle.ts';
import { OptimizerName } from '../../../schema/optimizer-name.ts';
import { ProposalDecision } from '../../../schema/proposal.ts';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput } from '../../../schema/validation.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import { withClient } from '../context.ts';
import { printJson, printTable } from '../output.ts';

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
const RunArgs = z.object({
  routine: RoutineId,
  cycle: z.string().optional(),
  wait: z.boolean().optional(),
  json: z.boolean().optional(),
  ...CycleOptions,
});
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

/** What `improve run --json` prints: the routine, the baseline, each candidate and its decision, the promoted version. */
export function cycleJson(result: ImprovementCycleResult) {
  return {
    routineId: result.routineId,
    baseline: {
      version: result.baseline.version,
      score: result.baseline.score,
      costPerRun: result.baseline.costPerRun,
    },
    candidates: result.candidates.map(({ version, optimizer, change, score, costPerRun, decision, why }) => ({
      version,
      optimizer,
      change,
      score,
      costPerRun,
      decision,
      why,
    })),
    promoted: result.promoted,
    cycleId: result.cycleId,
    spentCredits: result.spentCredits,
    budgetCredits: result.budgetCredits,
    stopped: result.stopped,
  };
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
      .option('--wait', 'wait for the cycle to end (a pending proposal waits for its decision)')
      .option(
        '--json',
        'print JSON: {routineId, baseline, candidates, promoted} with --wait, else {cycleId, routineId}',
      ),
  ).action(async (routine: string, options: Record<string, unknown>) => {
    const args = parseInput(RunArgs, { routine, ...options }, 'improve run arguments');
    await withImprovementClient('improve run', async (client) => {
      const started = await client.improvement.start({
        routineId: args.routine,
        ...(args.cycle === undefined ? {} : { cycle: args.cycle }),
        ...(args.autoPromote === undefined ? {} : { autoPromote: args.autoPromote }),
        ...(args.budget === undefined ? {} : { budgetCredits: args.budget }),
        ...(args.optimizers === undefined ? {} : { optimizers: args.optimizers }),
      });
      if (!args.wait) {
        if (args.json) return printJson(started);
        process.stdout.write(`started ${started.cycleId}\n`);
        return;
      }
      const result = await client.improvement.result(started.cycleId);
      if (args.json) return printJson(cycleJson(result));
      printCycle(result);
    });
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

function printCycle(result: ImprovementCycleResult): void {
  const { baseline } = result;
  process.stdout.write(
    `${result.cycleId}: baseline version ${baseline.version}, score ${baseline.score ?? '-'}, cost per run ${baseline.costPerRun ?? '-'}\n`,
  );
  printTable(
    result.candidates.map((c) => ({
      version: c.version,
      optimizer: c.optimizer,
      score: c.score,
      costPerRun: c.costPerRun,
      decision: c.decision,
      why: c.why,
    })),
  );
  if (result.stopped !== null) process.stdout.write(`stopped: ${result.stopped}\n`);
  process.stdout.write(
    result.promoted === null ? 'nothing promoted\n' : `promoted version ${result.promoted}\n`,
  );
}
