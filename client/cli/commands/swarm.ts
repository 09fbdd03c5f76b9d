import type { Command } from 'commander';
import type { z } from 'zod';
import { loadDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import {
  PlannerChoice,
  ResumeSwarmRequest,
  type StartSwarmRequestInput,
  SwarmLimits,
  SwarmStatus,
} from '../../../schema/swarm.ts';
import { ToolPolicy } from '../../../schema/tools.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { catalogIsEmpty, readDemoCatalog, registerDemoCatalog, withDemoModels } from '../../demo-catalog.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import type { SwarmflowClient } from '../../sdk.ts';
import { readTeamFile } from '../../team-file.ts';
import { refuseRemote, withClient } from '../context.ts';
import { parseJsonObjectOption } from '../json-option.ts';
import { printJson, printTable } from '../output.ts';
import { printSwarmOutcome, printSwarmState, swarmOutcomeJson } from '../swarm-output.ts';
import { showSwarmProgress } from '../swarm-progress.ts';

interface StartOptions {
  goal: string;
  team?: string;
  limits?: string;
  toolPolicy?: string;
  planner?: string;
  input?: string;
  id?: string;
  awaitMessages?: boolean;
  wait?: boolean;
  waitThroughIncidents?: boolean;
  json?: boolean;
  embedded?: boolean;
}

export function swarmCommands(program: Command): void {
  const swarm = program.command('swarm').description('swarms of agents working towards a goal');
  startCommand(swarm);
  statusCommand(swarm);
  controlCommands(swarm);
  listCommand(swarm);
  transcriptCommand(swarm);
}

function startCommand(swarm: Command): void {
  swarm
    .command('start')
    .description('start a swarm on a goal; it plans subtasks, runs them and ends with a result')
    .requiredOption('--goal <text>', 'what the swarm should achieve')
    .option('--team <file>', 'a JSON array of agents (default: assembled from the agent catalog)')
    .option(
      '--limits <json>',
      'limits as JSON: maxCredits, maxTokens, maxSubtasks, maxConcurrency, onLimit...',
    )
    .option(
      '--tool-policy <json>',
      'a tool policy tightening the deployment\'s for this swarm: {"rules": [...]}',
    )
    .option('--planner <planner>', 'auto (the leader LLM when one is configured), llm or rules', 'auto')
    .option('--input <json>', 'variables every routine subtask starts with, as a JSON object')
    .option('--id <swarm-id>', 'swarm id (default: generated)')
    .option('--await-messages', 'with nothing left to do, wait for messages instead of ending')
    .option(
      '--wait',
      'wait until the swarm ends or waits for a person (an incident, a limit), showing progress',
    )
    .option(
      '--wait-through-incidents',
      'keep waiting while a child run is parked on an incident or the swarm on a limit (not with --embedded)',
    )
    .option('--json', 'print one JSON object {swarmId, status, result, subtasks, usage} (waits)')
    .option('--embedded', 'start a throwaway server, database and worker (and the demo catalog if empty)')
    .action(async (options: StartOptions) => {
      if (options.embedded && options.waitThroughIncidents) {
        throw new ValidationError('swarm start options', [
          '--wait-through-incidents: nobody can resolve an incident on the throwaway stack of --embedded; use one of them',
        ]);
      }
      if (options.embedded) refuseRemote('--embedded', 'swarm start');
      const request = await startRequest(options);
      const execute = (client: SwarmflowApi) => startAndReport(client, request, options);
      const completed = await (options.embedded ? withEmbeddedSampleStack(execute) : withClient(execute));
      if (!completed) process.exitCode = 1;
    });
}

/** A throwaway stack whose catalog, when empty, gets the demo's sample; the demo's models join the deployment's. */
async function withEmbeddedSampleStack<T>(work: (client: SwarmflowClient) => Promise<T>): Promise<T> {
  const deployment = await withDemoModels(await loadDeploymentConfig());
  return withEmbeddedStack(
    async (client) => {
      if (await catalogIsEmpty(client)) await registerDemoCatalog(client, await readDemoCatalog());
      return work(client);
    },
    { deployment },
  );
}

async function startRequest(options: StartOptions): Promise<StartSwarmRequestInput> {
  const limits = jsonOption(
    SwarmLimits.partial(),
    options.limits,
    '--limits',
    'a JSON object of swarm limits',
  );
  const toolPolicy = jsonOption(ToolPolicy, options.toolPolicy, '--tool-policy', 'a JSON tool policy');
  return {
    goal: options.goal,
    planner: parseInput(PlannerChoice, options.planner, '--planner value'),
    input: parseJsonObjectOption(options.input, '--input'),
    ...(options.team === undefined ? {} : { team: await readTeamFile(options.team) }),
    ...(limits === undefined ? {} : { limits }),
    ...(toolPolicy === undefined ? {} : { toolPolicy }),
    ...(options.id === undefined ? {} : { swarmId: options.id }),
    ...(options.awaitMessages ? { awaitMessages: true } : {}),
  };
}

/** A JSON object option checked against `schema`; absent stays absent. */
function jsonOption<S extends z.ZodType>(
  schema: S,
  text: string | undefined,
  flag: string,
  what: string,
): z.infer<S> | undefined {
  if (text === undefined) return undefined;
  return parseInput(schema, parseJsonObjectOption(text, flag), `${flag} value (${what})`);
}

/** Starts the swarm and reports it; returns false when it waited and the swarm did not complete. */
async function startAndReport(
  client: SwarmflowApi,
  { goal, ...request }: StartSwarmRequestInput,
  options: StartOptions,
): Promise<boolean> {
  const { swarmId, workflowId } = await client.swarms.start(goal, request);
  if (!options.wait && !options.json && !options.embedded) {
    process.stdout.write(`started swarm ${swarmId} (workflow ${workflowId})\n`);
    return true;
  }
  // A throwaway stack has nobody who could resolve an incident: parking there is the end.
  const untilParked = options.embedded === true || !options.waitThroughIncidents;
  const outcome = await showSwarmProgress(client, swarmId, client.swarms.result(swarmId, { untilParked }));
  const context = { throwaway: options.embedded === true };
  if (options.json) printJson(swarmOutcomeJson(outcome, context));
  else printSwarmOutcome(outcome, context);
  return outcome.status === 'completed';
}

function statusCommand(swarm: Command): void {
  swarm
    .command('status <swarm-id>')
    .description("a swarm's live state: status, subtasks, children, usage, pending approvals")
    .option('--json', 'print JSON')
    .action(async (swarmId: string, options: { json?: boolean }) => {
      const state = await withClient((client) => client.swarms.get(swarmId));
      if (options.json) printJson(state);
      else printSwarmState(state);
    });
}

function controlCommands(swarm: Command): void {
  swarm
    .command('message <swarm-id> <text>')
    .description('send a message to the swarm (its leader reads it next) or to one of its agents')
    .option('--to <agent>', '"swarm" (the leader) or an agent id', 'swarm')
    .action(async (swarmId: string, text: string, options: { to: string }) => {
      const { seq } = await withClient((client) => client.swarms.message(swarmId, { text, to: options.to }));
      process.stdout.write(`message ${seq} sent to swarm ${swarmId}\n`);
    });

  swarm
    .command('pause <swarm-id>')
    .description('start no new subtasks or leader turns until resumed; running ones go on')
    .option('--reason <text>', 'why, for the record')
    .action(async (swarmId: string, options: { reason?: string }) => {
      const status = await withClient((client) => client.swarms.pause(swarmId, options.reason));
      process.stdout.write(`swarm ${swarmId}: ${status}\n`);
    });

  swarm
    .command('resume <swarm-id>')
    .description('resume a paused swarm, optionally raising the limits it paused on')
    .option(
      '--limits <json>',
      'raised limits as JSON: maxCredits, maxTokens, maxToolCalls, maxDurationMs, maxSubtasks',
    )
    .action(async (swarmId: string, options: { limits?: string }) => {
      const request = parseInput(
        ResumeSwarmRequest,
        options.limits === undefined ? {} : { limits: parseJsonObjectOption(options.limits, '--limits') },
        '--limits value',
      );
      const status = await withClient((client) => client.swarms.resume(swarmId, request));
      process.stdout.write(`swarm ${swarmId}: ${status}\n`);
    });

  swarm
    .command('stop <swarm-id>')
    .description('stop a swarm: running subtasks finish and nothing new starts; --force cancels them now')
    .option('--force', 'cancel the whole tree of child runs and sub-swarms now')
    .option('--reason <text>', 'why, for the record')
    .action(async (swarmId: string, options: { force?: boolean; reason?: string }) => {
      const mode = options.force ? 'force' : 'graceful';
      const status = await withClient((client) =>
        client.swarms.stop(swarmId, {
          mode,
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        }),
      );
      process.stdout.write(`stop (${mode}) requested for swarm ${swarmId}; it is ${status} now\n`);
    });
}

function listCommand(swarm: Command): void {
  swarm
    .command('list')
    .description('swarms of the tenant, newest first')
    .option('--status <status>', `only swarms in this status (${SwarmStatus.options.join(', ')})`)
    .option('--parent <swarm-id>', 'only sub-swarms of this swarm')
    .option('--limit <n>', 'at most this many', Number)
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; parent?: string; limit?: number; json?: boolean }) => {
      const filter = {
        ...(options.status === undefined
          ? {}
          : { status: parseInput(SwarmStatus, options.status, '--status value') }),
        ...(options.parent === undefined ? {} : { parentSwarmId: options.parent }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      };
      const swarms = await withClient((client) => client.swarms.list(filter));
      if (options.json) return printJson(swarms);
      printTable(
        swarms.map((summary) => ({
          id: summary.swarmId,
          status: summary.status,
          subtasks: `${summary.subtasksDone}/${summary.subtasksTotal}`,
          credits: summary.usage.credits,
          started: summary.startedAt,
          goal: summary.goal,
        })),
      );
    });
}

function transcriptCommand(swarm: Command): void {
  swarm
    .command('transcript <swarm-id>')
    .description("a swarm's transcript: messages, tool calls and events, oldest first")
    .option('--after <seq>', 'only entries after this sequence number', Number)
    .option('--limit <n>', 'at most this many', Number)
    .option('--json', 'print JSON')
    .action(async (swarmId: string, options: { after?: number; limit?: number; json?: boolean }) => {
      const entries = await withClient((client) =>
        client.swarms.transcript(swarmId, {
          ...(options.after === undefined ? {} : { afterSeq: options.after }),
          ...(options.limit === undefined ? {} : { limit: options.limit }),
        }),
      );
      if (options.json) return printJson(entries);
      for (const entry of entries) {
        process.stdout.write(
          `${String(entry.seq).padStart(4)} ${entry.from} → ${entry.to} [${entry.kind}] ${entry.text}\n`,
        );
      }
    });
}
