import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import { generationCapabilities } from '../../../activities/improvement/generation/capabilities.ts';
import {
  DEFAULT_GENERATION_ATTEMPTS,
  type GeneratedRoutine,
  generateRoutine,
} from '../../../activities/improvement/generation/generate-routine.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { CircuitBreakers } from '../../../activities/resilience/circuit-breakers.ts';
import { parseDatasetJsonl } from '../../../schema/dataset-jsonl.ts';
import type { EvalCase } from '../../../schema/evaluation.ts';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { withEmbeddedStack } from '../../embedded.ts';
import type { SwarmflowApi } from '../../remote/swarmflow-api.ts';
import { refuseRemote, withClient } from '../context.ts';
import { printJson } from '../output.ts';

const RoutineGenerateArgs = z.object({
  goal: z
    .string({ error: '--goal is required: say what the routine is for' })
    .trim()
    .min(1, '--goal is empty'),
  examples: z.string().min(1).optional(),
  id: RoutineId.optional(),
  model: z.string().min(1).optional(),
  maxAttempts: z.coerce
    .number({ error: '--max-attempts takes a whole number' })
    .int('--max-attempts takes a whole number')
    .min(1)
    .max(10, '--max-attempts is at most 10')
    .optional(),
  json: z.boolean().optional(),
  embedded: z.boolean().optional(),
});
type RoutineGenerateArgs = z.infer<typeof RoutineGenerateArgs>;

/** What `routine generate --json` prints. */
interface GenerateReport {
  id: string;
  version: number;
  /** Registered as a draft: generated routines are not run in production until a person or the loop promotes them. */
  status: 'draft';
  created: boolean;
  attempts: number;
  usage: GeneratedRoutine['usage'];
  definition: GeneratedRoutine['definition'];
  eval?: { evalId: string; score: number; passed: number; cases: number };
}

/** `swarmflow routine generate --goal "..." [--examples file.jsonl] [--id name] [--model m] [--json] [--embedded]`. */
export function routineGenerateCommand(routine: Command): void {
  routine
    .command('generate')
    .description(
      "draft a routine with the deployment's LLM, fixing compile errors with the compiler's feedback; register it as a draft and, with --examples, evaluate it",
    )
    .option('--goal <text>', 'what the routine is for')
    .option(
      '--examples <file.jsonl>',
      'cases {"input": {...}, "expected": ...}, one a line: shown to the model, then evaluated',
    )
    .option('--id <id>', 'routine id (default: from the goal)')
    .option('--model <name>', 'a configured model (default: the deployment default model)')
    .option('--max-attempts <n>', `answers asked for at most (default ${DEFAULT_GENERATION_ATTEMPTS})`)
    .option('--json', 'print one JSON object {id, version, status, attempts, usage, definition, eval?}')
    .option('--embedded', 'register and evaluate on a throwaway server, database and worker')
    .action(async (options: Record<string, unknown>) => {
      const args = parseInput(RoutineGenerateArgs, options, 'routine generate arguments');
      if (args.embedded) refuseRemote('--embedded', 'routine generate');
      const examples = args.examples === undefined ? undefined : await readExamples(args.examples);
      const deployment = await loadDeploymentConfig();
      const id = args.id ?? routineIdFromGoal(args.goal);
      if (!args.json) process.stderr.write(`generating routine ${id}...\n`);
      const generated = await generateRoutine(
        { models: new ModelRegistry(deployment), breakers: new CircuitBreakers(), prices: deployment.prices },
        { id, goal: args.goal, ...(examples ? { examples } : {}), ...generationCapabilities(deployment) },
        {
          ...(args.model === undefined ? {} : { model: args.model }),
          ...(args.maxAttempts === undefined ? {} : { maxAttempts: args.maxAttempts }),
        },
      );
      const execute = (client: SwarmflowApi) => registerAndEvaluate(client, generated, examples, args);
      const report = await (args.embedded ? withEmbeddedStack(execute) : withClient(execute));
      if (args.json) return printJson(report);
      const answers = report.attempts === 1 ? '1 answer' : `${report.attempts} answers`;
      process.stdout.write(
        `${report.created ? 'registered' : 'unchanged,'} ${report.id} version ${report.version} (${report.status}, ${report.definition.body.kind}) after ${answers}, ${report.usage.credits} credits\n`,
      );
      if (report.eval) {
        const { evalId, score, passed, cases } = report.eval;
        process.stdout.write(`eval ${evalId}: score ${score.toFixed(3)}, ${passed}/${cases} passed\n`);
      }
    });
}

/**
 * Registers the generated routine and, with examples, evaluates it on them. It is reported as a
 * draft; the version status column (the improvement loop's) marks it so once it exists.
 */
async function registerAndEvaluate(
  client: SwarmflowApi,
  generated: GeneratedRoutine,
  examples: EvalCase[] | undefined,
  args: RoutineGenerateArgs,
): Promise<GenerateReport> {
  const registered = await client.registerRoutine(generated.definition, { draft: true });
  const report: GenerateReport = {
    id: registered.id,
    version: registered.version,
    status: 'draft',
    created: registered.created,
    attempts: generated.attempts,
    usage: generated.usage,
    definition: generated.definition,
  };
  if (!examples) return report;
  if (!args.json)
    process.stderr.write(
      `evaluating ${registered.id}@${registered.version} on ${examples.length} examples...\n`,
    );
  const started = await client.evals.start({
    routineId: registered.id,
    version: registered.version,
    cases: examples,
  });
  const result = await client.evals.result(started.evalId);
  const passed = result.cases.filter((evalCase) => evalCase.passed).length;
  return {
    ...report,
    eval: { evalId: result.evalId, score: result.score, passed, cases: result.cases.length },
  };
}

async function readExamples(file: string): Promise<EvalCase[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError('routine generate arguments', [
      `--examples: cannot read ${file} (${error.code ?? error.message}); give a .jsonl file of cases`,
    ]);
  });
  return parseDatasetJsonl(text, `--examples ${file}`);
}

/** A routine id from the goal's first words: "Compute the order total" -> "compute_the_order_total". */
export function routineIdFromGoal(goal: string): string {
  const words = goal
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const id = words.join('_').slice(0, 48).replace(/_+$/, '');
  return /^[a-z_]/.test(id) ? id : `routine_${id}`.replace(/_+$/, '');
}
