import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { EvalId } from '../../../schema/eval-run.ts';
import { EvalToolPolicy } from '../../../schema/evaluation.ts';
import type { OutcomeError } from '../../../schema/outcome-error.ts';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import { loadEvalCases } from '../../eval-datasets.ts';
import { EvalFailedError } from '../../eval-errors.ts';
import { writeEvalReport } from '../../eval-report/write-eval-report.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import { looksLikeRoutineFile, readRoutineFile } from '../../routine-files.ts';
import { refuseRemote, withClient } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { progressIntervalMs, showProgress } from '../progress.ts';

const positiveInt = (option: string) =>
  z.coerce
    .number({ error: `${option} takes a whole number` })
    .int(`${option} takes a whole number`)
    .positive();

/** `eval run`'s arguments and options, as commander hands them over. */
const EvalRunArgs = z.object({
  target: z
    .string()
    .refine((target) => looksLikeRoutineFile(target) || /^[A-Za-z_][\w.-]{0,127}(@[1-9]\d*)?$/.test(target), {
      message: 'give <routine>, <routine>@<version> (e.g. invoice@2), or a routine file (.bpmn or .json)',
    }),
  dataset: z
    .string({ error: '--dataset is required: a stored dataset name or a .jsonl file of cases' })
    .min(1),
  datasetVersion: positiveInt('--dataset-version').optional(),
  toolPolicy: EvalToolPolicy.optional(),
  concurrency: positiveInt('--concurrency').max(64, '--concurrency is at most 64').optional(),
  caseTimeout: positiveInt('--case-timeout').optional(),
  id: EvalId.optional(),
  json: z.boolean().optional(),
  html: z.string().min(1).optional(),
  embedded: z.boolean().optional(),
});
type EvalRunArgs = z.infer<typeof EvalRunArgs>;

const EvalCompareArgs = z.object({
  routine: RoutineId,
  versionA: positiveInt('<versionA>'),
  versionB: positiveInt('<versionB>'),
  dataset: z.string().min(1).optional(),
  json: z.boolean().optional(),
});

export function evalCommands(program: Command): void {
  const evals = program
    .command('eval')
    .description('run a routine version over a dataset, scored; list, show and compare stored evals');

  evals
    .command('run <routine[@version]|file>')
    .description('run every case of a dataset as a real run of the routine, score it, store the eval')
    .option('--dataset <name|file.jsonl>', 'a stored dataset, or a JSONL file with one case per line')
    .option('--dataset-version <n>', 'the stored dataset version (default: latest)')
    .option(
      '--tool-policy <policy>',
      'replay (default: the source run`s results; none: denied), deny, or allowSafe (read-only/idempotent tools only)',
    )
    .option('--concurrency <n>', 'cases run at the same time (default 4)')
    .option(
      '--case-timeout <seconds>',
      'cancel a case whose run has not ended by then (a user task, a timer), scoring it 0 (default 900)',
    )
    .option('--id <eval-id>', 'eval id (default: generated)')
    .option(
      '--json',
      'print one JSON object {evalId, routineId, version, score, cases, usage, latencyMs} (or {error})',
    )
    .option('--html <file>', 'also write a self-contained HTML report there')
    .option('--embedded', 'start a throwaway server, database and worker just for this eval')
    .action(async (target: string, options: Record<string, unknown>) => {
      const args = parseInput(EvalRunArgs, { target, ...options }, 'eval run arguments');
      if (args.embedded) refuseRemote('--embedded', 'eval run');
      const execute = (client: SwarmflowApi) => runEval(client, args);
      const completed = await (args.embedded ? withEmbeddedStack(execute) : withClient(execute));
      if (!completed) process.exitCode = 1;
    });

  evals
    .command('compare <routine> <versionA> <versionB>')
    .description("B's mean score minus A's from their latest completed evals, with a 95% confidence interval")
    .option('--dataset <id>', 'compare the latest evals on this dataset')
    .option('--json', 'print the comparison as JSON')
    .action(async (routine: string, versionA: string, versionB: string, options: Record<string, unknown>) => {
      const args = parseInput(
        EvalCompareArgs,
        { routine, versionA, versionB, ...options },
        'eval compare arguments',
      );
      const comparison = await withClient((client) =>
        client.evals.compare({
          routineId: args.routine,
          versionA: args.versionA,
          versionB: args.versionB,
          ...(args.dataset === undefined ? {} : { datasetId: args.dataset }),
        }),
      );
      if (args.json) return printJson(comparison);
      const { a, b, confidence } = comparison;
      const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
      process.stdout.write(
        `${[
          `${comparison.routineId}: version ${b.version} (${b.score.toFixed(3)}, eval ${b.evalId}) vs version ${a.version} (${a.score.toFixed(3)}, eval ${a.evalId})`,
          `difference ${signed(comparison.difference)}, 95% CI [${signed(confidence.low)}, ${signed(confidence.high)}] (${comparison.method}, ${comparison.pairs} pairs)`,
          comparison.significant ? 'the difference is significant' : 'no significant difference',
        ].join('\n')}\n`,
      );
    });

  evals
    .command('list')
    .description('stored evals, newest first')
    .option('--routine <id>', 'only this routine')
    .option('--json', 'print JSON')
    .action(async (options: { routine?: string; json?: boolean }) => {
      const list = await withClient((client) =>
        client.evals.list(options.routine === undefined ? {} : { routineId: options.routine }),
      );
      if (options.json) return printJson(list);
      printTable(
        list.map((item) => ({
          eval: item.evalId,
          routine: `${item.routineId}@${item.version}`,
          status: item.status,
          score: item.score === null ? null : item.score.toFixed(3),
          passed: `${item.passedCount ?? '-'}/${item.caseCount}`,
          dataset: item.datasetId,
          started: item.startedAt.toISOString(),
        })),
      );
    });

  evals
    .command('show <evalId>')
    .description('a stored eval with its cases')
    .option('--json', 'print JSON')
    .action(async (evalId: string, options: { json?: boolean }) => {
      const details = await withClient((client) => client.evals.get(evalId));
      if (options.json) return printJson(details);
      process.stdout.write(
        `eval ${details.evalId}: ${details.routineId}@${details.version} ${details.status}, score ${details.score ?? '-'}, passed ${details.passedCount ?? '-'}/${details.caseCount}\n`,
      );
      printTable(
        details.cases.map((evalCase) => ({
          case: evalCase.ordinal,
          score: evalCase.score.toFixed(3),
          passed: evalCase.passed ? 'yes' : 'no',
          run: evalCase.runId,
          why: evalCase.error?.message ?? evalCase.reasons.map((reason) => reason.reason).join('; '),
        })),
      );
    });
}

/** Runs the eval and reports it; returns whether it completed. */
async function runEval(client: SwarmflowApi, args: EvalRunArgs): Promise<boolean> {
  let evalId = args.id;
  // Until the target is known, an error names it as given.
  let routineId = args.target;
  let version: number | undefined;
  try {
    ({ routineId, version } = await evalTarget(client, args.target));
    const source = await loadEvalCases(client, args.dataset, args.datasetVersion);
    const started = await client.evals.start({
      routineId,
      ...(version === undefined ? {} : { version }),
      ...source,
      ...(args.toolPolicy === undefined ? {} : { toolPolicy: args.toolPolicy }),
      ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
      ...(args.caseTimeout === undefined ? {} : { caseTimeoutMs: args.caseTimeout * 1000 }),
      ...(args.id === undefined ? {} : { evalId: args.id }),
    });
    evalId = started.evalId;
    if (!args.json) process.stderr.write(`started eval ${evalId} (${source.cases.length} cases)\n`);
    const result = await showProgress(client.evals.result(started.evalId), async (show, signal) => {
      while (!signal.aborted) {
        const details = await client.evals.get(started.evalId).catch(() => undefined);
        if (details) {
          const done = details.cases.length;
          const passed = details.cases.filter((evalCase) => evalCase.passed).length;
          show(`eval ${started.evalId}: ${done}/${details.caseCount} cases done, ${passed} passed`);
        }
        await sleep(progressIntervalMs, undefined, { signal }).catch(() => {});
      }
    });
    if (args.html) await writeEvalReport(client, started.evalId, args.html);
    if (args.json) printJson(result);
    else {
      const passed = result.cases.filter((evalCase) => evalCase.passed).length;
      process.stdout.write(
        `eval ${result.evalId}: ${result.routineId}@${result.version} score ${result.score.toFixed(3)}, ${passed}/${result.cases.length} passed, latency p50 ${result.latencyMs.p50} ms p95 ${result.latencyMs.p95} ms\n`,
      );
      if (args.html) process.stdout.write(`report: ${args.html}\n`);
    }
    return true;
  } catch (error) {
    if (!args.json) throw error;
    printJson({
      ...(evalId === undefined ? {} : { evalId }),
      routineId,
      ...(version === undefined ? {} : { version }),
      error: outcomeErrorOf(error),
    });
    return false;
  }
}

/**
 * The routine version an eval runs: `<routine>[@version]`, or a routine file, registered first (a
 * new version only when it changed), as `run` does; that is how `--embedded` gets a routine to run.
 */
async function evalTarget(
  client: SwarmflowApi,
  target: string,
): Promise<{ routineId: string; version?: number }> {
  if (looksLikeRoutineFile(target)) {
    const registered = await client.registerRoutine(await readRoutineFile(target));
    return { routineId: registered.id, version: registered.version };
  }
  const [routineId, versionText] = target.split('@') as [string, string | undefined];
  return versionText === undefined ? { routineId } : { routineId, version: Number(versionText) };
}

function outcomeErrorOf(error: unknown): OutcomeError {
  if (error instanceof EvalFailedError) return error.error;
  if (error instanceof Error) return { message: error.message, type: error.name };
  return { message: String(error), type: 'Failed' };
}
