import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Variables } from '../../../schema/json.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import { looksLikeRoutineFile, readRoutineFile } from '../../routine-files.ts';
import { refuseRemote, withClient } from '../context.ts';
import { printJson, printOutcome, runOutcomeJson } from '../output.ts';
import { showRunProgress } from '../progress.ts';

interface RunOptions {
  process?: string;
  input?: string;
  inputFile?: string;
  version?: number;
  id?: string;
  wait?: boolean;
  waitThroughIncidents?: boolean;
  json?: boolean;
  embedded?: boolean;
}

export function runCommand(program: Command): void {
  program
    .command('run <routine>')
    .description('start a run of a routine id, or of a .bpmn/.json file (registered first)')
    .option('--process <id>', 'BPMN process id (default: the main process)')
    .option('--input <json>', 'run input as a JSON object')
    .option('--input-file <path>', 'run input from a JSON file')
    .option('--version <n>', 'routine version (default: latest)', Number)
    .option('--id <run-id>', 'run id (default: generated)')
    .option('--wait', 'wait until the run ends or parks on an incident or a budget, showing progress')
    .option(
      '--wait-through-incidents',
      'keep waiting while the run is parked on an incident or a budget (not with --embedded)',
    )
    .option('--json', 'print one JSON object {runId, status, outputs, trace, usage, error?} (waits)')
    .option('--embedded', 'start a throwaway server, database and worker just for this run')
    .action(async (routine: string, options: RunOptions) => {
      if (options.embedded && options.waitThroughIncidents) {
        throw new ValidationError('run options', [
          '--wait-through-incidents: nobody can resolve an incident on the throwaway stack of --embedded; use one of them',
        ]);
      }
      const input = await readRunInput(options);
      if (options.embedded) refuseRemote('--embedded', 'run');
      const execute = (client: SwarmflowApi) => startAndReport(client, routine, input, options);
      const completed = await (options.embedded ? withEmbeddedStack(execute) : withClient(execute));
      if (!completed) process.exitCode = 1;
    });
}

async function readRunInput(options: RunOptions): Promise<Variables> {
  if (options.input !== undefined && options.inputFile !== undefined) {
    throw new ValidationError('run options', ['--input and --input-file: give one of them, not both']);
  }
  const [source, text] =
    options.inputFile !== undefined
      ? [`--input-file ${options.inputFile}`, await readFile(options.inputFile, 'utf8')]
      : ['--input', options.input ?? '{}'];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('run input', [`${source}: not valid JSON (${(error as Error).message})`]);
  }
  return parseInput(Variables, value, `run input (${source} must be a JSON object)`);
}

/** Starts the run and reports it; returns false when it waited and the run did not complete. */
async function startAndReport(
  client: SwarmflowApi,
  routine: string,
  input: Variables,
  options: RunOptions,
): Promise<boolean> {
  const routineId = looksLikeRoutineFile(routine)
    ? (await client.registerRoutine(await readRoutineFile(routine))).id
    : routine;
  const { runId, workflowId } = await client.startRun({
    routineId,
    input,
    ...(options.process ? { processId: options.process } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.id ? { runId: options.id } : {}),
  });
  if (!options.wait && !options.json && !options.embedded) {
    process.stdout.write(`started run ${runId} (workflow ${workflowId})\n`);
    return true;
  }
  // A throwaway stack has nobody who could resolve an incident: parking there is the end.
  const untilParked = options.embedded === true || !options.waitThroughIncidents;
  const outcome = await showRunProgress(client, runId, client.awaitRun(runId, { untilParked }));
  const context = { throwaway: options.embedded === true };
  if (options.json) printJson(runOutcomeJson(outcome, context));
  else printOutcome(outcome, context);
  return outcome.status === 'completed';
}
