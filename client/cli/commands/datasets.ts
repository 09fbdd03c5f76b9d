import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { openDatabase } from '../../../activities/store/database.ts';
import { loadConfig } from '../../../schema/config.ts';
import { DatasetSplit, parseDatasetRef, type RunCaseFilterInput } from '../../../schema/dataset.ts';
import { JsonValue } from '../../../schema/json.ts';
import { RunStatus } from '../../../schema/run.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { DatasetsApi } from '../../datasets.ts';
import type { DatasetsOperations } from '../../remote/datasets-operations.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../remote/swarmflow-client.ts';
import { remoteTarget } from '../context.ts';
import { parseJsonObjectOption } from '../json-option.ts';
import { printJson, printTable } from '../output.ts';
import { parseWhen } from './audit.ts';

const tenantNote =
  'Direct mode reads and writes the database (DATABASE_URL, else the embedded one) as tenant SWARMFLOW_TENANT ' +
  '("default" when unset); with --url, the API key\'s tenant through the API.';

export function datasetsCommands(program: Command): void {
  const datasets = program
    .command('datasets')
    .description(
      'versioned eval cases: build them from a JSONL file, recorded runs or by hand, split and export them',
    )
    .addHelpText('after', `\n${tenantNote}\n`);

  datasets
    .command('create <name>')
    .description('a new dataset, or a new version of one, from a JSONL file or from recorded runs')
    .option(
      '--from-file <cases.jsonl>',
      'one case a line: {"input": {...}, "expected"?: ..., "tags"?: [...]}',
    )
    .option('--from-runs <routine>', "the recorded runs of this routine; each run's input is a case's input")
    .option('--routine-version <n>', 'with --from-runs: only runs of this routine version')
    .option(
      '--status <status>',
      `with --from-runs: only runs with this status (${RunStatus.options.join(', ')})`,
    )
    .option(
      '--since <when>',
      'with --from-runs: runs started at or after this time (ISO 8601 time, or a duration back such as P7D)',
    )
    .option('--until <when>', 'with --from-runs: runs started before this time')
    .option('--min-score <s>', "with --from-runs: runs scored at least this (0..1; the run's live score)")
    .option('--max-score <s>', 'with --from-runs: runs scored at most this')
    .option('--has-feedback', 'with --from-runs: only runs people gave feedback on')
    .option('--no-feedback', 'with --from-runs: only runs without feedback')
    .option('--min-feedback <s>', "with --from-runs: runs whose feedback's mean score is at least this")
    .option('--max-feedback <s>', "with --from-runs: runs whose feedback's mean score is at most this")
    .option('--limit <n>', 'with --from-runs: at most this many runs, oldest first (default 1000)')
    .option(
      '--outputs-as-expected',
      "with --from-runs: take each completed run's outputs as the expected output (for good runs)",
    )
    .option('--routine <id>', 'the routine the cases are inputs of (--from-runs sets it)')
    .option('--description <text>', 'what the dataset is for')
    .option('--json', 'print JSON')
    .action(async (name: string, options: CreateOptions) => {
      const source = await createSource(options);
      const created = await withDatasets((d) =>
        d.create(name, source, {
          ...(options.routine === undefined ? {} : { routineId: options.routine }),
          ...(options.description === undefined ? {} : { description: options.description }),
        }),
      );
      if (options.json) return printJson(created);
      process.stdout.write(`dataset ${created.datasetId}@${created.version}: ${created.caseCount} cases\n`);
    });

  datasets
    .command('list')
    .description("the tenant's datasets with their latest version")
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withDatasets((d) => d.list());
      if (options.json) return printJson({ datasets: list });
      printTable(
        list.map((d) => ({
          dataset: d.datasetId,
          version: d.latestVersion,
          cases: d.caseCount,
          routine: d.routineId,
          description: d.description,
        })),
      );
    });

  datasets
    .command('show <name[@version]>')
    .description("a version's cases (default the latest), and how the version was made")
    .option('--split <split>', `only the cases of this split (${DatasetSplit.options.join(', ')})`)
    .option('--versions', 'list the versions instead')
    .option('--json', 'print JSON')
    .action(async (refText: string, options: { split?: string; versions?: boolean; json?: boolean }) => {
      const ref = parseDatasetRef(refText, 'dataset argument');
      if (options.versions) {
        const versions = await withDatasets((d) => d.versions(ref.dataset));
        if (options.json) return printJson({ versions });
        return printTable(
          versions.map((v) => ({
            version: v.version,
            cases: v.caseCount,
            origin: describeOrigin(v.origin),
            created: v.createdAt.toISOString(),
          })),
        );
      }
      const split =
        options.split === undefined ? undefined : parseInput(DatasetSplit, options.split, '--split');
      const shown = await withDatasets((d) =>
        d.show(ref.dataset, {
          ...(ref.version ? { version: ref.version } : {}),
          ...(split ? { split } : {}),
        }),
      );
      if (options.json) return printJson(shown);
      process.stdout.write(
        `dataset ${shown.datasetId}@${shown.version} (${describeOrigin(shown.origin)}), ${shown.cases.length}${split ? ` ${split}` : ''} of ${shown.caseCount} cases\n`,
      );
      printTable(
        shown.cases.map((c) => ({
          '#': c.ordinal,
          split: c.split,
          input: clip(JSON.stringify(c.input)),
          expected: c.expected === undefined ? null : clip(JSON.stringify(c.expected)),
          tags: c.tags?.join(',') ?? null,
          run: c.sourceRunId ?? null,
        })),
      );
    });

  datasets
    .command('add <name>')
    .description("a new version: the latest one's cases and this one")
    .requiredOption('--input <json>', "the case's input, a JSON object")
    .option('--expected <json>', 'what the routine should produce, as JSON')
    .option('--tag <tag...>', 'tags of the case')
    .option('--json', 'print JSON')
    .action(
      async (name: string, options: { input: string; expected?: string; tag?: string[]; json?: boolean }) => {
        const input = parseJsonObjectOption(options.input, '--input');
        const expected =
          options.expected === undefined ? undefined : parseJsonValue(options.expected, '--expected');
        const added = await withDatasets((d) =>
          d.add(name, [
            {
              input,
              ...(expected === undefined ? {} : { expected }),
              ...(options.tag ? { tags: options.tag } : {}),
            },
          ]),
        );
        if (options.json) return printJson(added);
        process.stdout.write(`dataset ${added.datasetId}@${added.version}: ${added.caseCount} cases\n`);
      },
    );

  datasets
    .command('split <name[@version]>')
    .description('a new version with the cases split into train and validation by a seeded hash of each case')
    .requiredOption('--validation <share>', 'the share of cases that validate, between 0 and 1 (e.g. 0.2)')
    .option('--seed <seed>', 'the same seed splits the same cases the same way', 'swarmflow')
    .option('--json', 'print JSON')
    .action(async (refText: string, options: { validation: string; seed: string; json?: boolean }) => {
      const ref = parseDatasetRef(refText, 'dataset argument');
      const validationShare = parseNumber(options.validation, '--validation', z.number().gt(0).lt(1));
      const split = await withDatasets((d) =>
        d.split(ref.dataset, {
          validationShare,
          seed: options.seed,
          ...(ref.version ? { version: ref.version } : {}),
        }),
      );
      if (options.json) return printJson(split);
      process.stdout.write(
        `dataset ${split.datasetId}@${split.version}: ${split.train} train, ${split.validation} validation\n`,
      );
    });

  datasets
    .command('export <name[@version]>')
    .description("write a version's cases as JSON lines (datasets create --from-file takes them back)")
    .option('--split <split>', `only the cases of this split (${DatasetSplit.options.join(', ')})`)
    .action(async (refText: string, options: { split?: string }) => {
      const ref = parseDatasetRef(refText, 'dataset argument');
      const split =
        options.split === undefined ? undefined : parseInput(DatasetSplit, options.split, '--split');
      const text = await withDatasets((d) =>
        d.export(ref.dataset, {
          ...(ref.version ? { version: ref.version } : {}),
          ...(split ? { split } : {}),
        }),
      );
      process.stdout.write(text);
    });
}

interface CreateOptions {
  fromFile?: string;
  fromRuns?: string;
  routineVersion?: string;
  status?: string;
  since?: string;
  until?: string;
  minScore?: string;
  maxScore?: string;
  hasFeedback?: boolean;
  /** commander's `--no-feedback`: false when given. */
  feedback?: boolean;
  minFeedback?: string;
  maxFeedback?: string;
  limit?: string;
  outputsAsExpected?: boolean;
  routine?: string;
  description?: string;
  json?: boolean;
}

const score = z.number().min(0).max(1);
const runFlags = [
  'routineVersion',
  'status',
  'since',
  'until',
  'minScore',
  'maxScore',
  'hasFeedback',
  'minFeedback',
  'maxFeedback',
  'limit',
  'outputsAsExpected',
] as const;

/** The create command's source: the file's text, or the run filter the flags describe. */
async function createSource(options: CreateOptions) {
  if ((options.fromFile === undefined) === (options.fromRuns === undefined)) {
    throw new ValidationError('datasets create options', [
      'give one of --from-file <cases.jsonl> and --from-runs <routine>',
    ]);
  }
  if (options.fromFile !== undefined) {
    const stray = runFlags.filter((flag) => options[flag] !== undefined);
    if (stray.length > 0 || options.feedback === false) {
      throw new ValidationError('datasets create options', [
        `${[...stray, ...(options.feedback === false ? ['feedback'] : [])].map(flagName).join(', ')}: filters of --from-runs; leave them out with --from-file`,
      ]);
    }
    const file = options.fromFile;
    const jsonl = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ValidationError('--from-file', [`cannot read ${file}: ${error.code ?? error.message}`]);
    });
    return { jsonl, file };
  }
  if (options.hasFeedback && options.feedback === false) {
    throw new ValidationError('datasets create options', ['--has-feedback and --no-feedback: give one']);
  }
  const filter: RunCaseFilterInput = {
    routineId: options.fromRuns as string,
    ...(options.routineVersion === undefined
      ? {}
      : { version: parseNumber(options.routineVersion, '--routine-version', z.number().int().positive()) }),
    ...(options.status === undefined ? {} : { status: parseInput(RunStatus, options.status, '--status') }),
    ...(options.since === undefined ? {} : { since: parseWhen(options.since, '--since') }),
    ...(options.until === undefined ? {} : { until: parseWhen(options.until, '--until') }),
    ...(options.minScore === undefined
      ? {}
      : { minScore: parseNumber(options.minScore, '--min-score', score) }),
    ...(options.maxScore === undefined
      ? {}
      : { maxScore: parseNumber(options.maxScore, '--max-score', score) }),
    ...(options.hasFeedback
      ? { hasFeedback: true }
      : options.feedback === false
        ? { hasFeedback: false }
        : {}),
    ...(options.minFeedback === undefined
      ? {}
      : { minFeedback: parseNumber(options.minFeedback, '--min-feedback', score) }),
    ...(options.maxFeedback === undefined
      ? {}
      : { maxFeedback: parseNumber(options.maxFeedback, '--max-feedback', score) }),
    ...(options.limit === undefined
      ? {}
      : { limit: parseNumber(options.limit, '--limit', z.number().int().min(1).max(10_000)) }),
    ...(options.outputsAsExpected ? { outputsAsExpected: true } : {}),
  };
  return { runs: filter };
}

const flagName = (flag: string) => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function parseNumber(text: string, option: string, schema: z.ZodNumber): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  return parseInput(schema, value, `${option} value`);
}

function parseJsonValue(text: string, option: string): JsonValue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${option} value`, [`not valid JSON (${(error as Error).message})`]);
  }
  return parseInput(JsonValue, value, `${option} value`);
}

function describeOrigin(origin: { kind: string } & Record<string, unknown>): string {
  switch (origin.kind) {
    case 'jsonl':
      return origin.file ? `from ${String(origin.file)}` : 'from JSONL';
    case 'runs': {
      const filter = origin.filter as { routineId?: string };
      return `from runs of ${filter.routineId ?? '?'}`;
    }
    case 'split':
      return `split of version ${String(origin.fromVersion)}, ${String(origin.validationShare)} validation, seed ${JSON.stringify(origin.seed)}`;
    default:
      return 'by hand';
  }
}

const clip = (text: string, width = 60) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/**
 * Runs `work` on the tenant's datasets: through the API server in remote mode, else on the
 * configured database directly (no Temporal needed), as SWARMFLOW_TENANT. Always closes what it opened.
 */
async function withDatasets<T>(work: (datasets: DatasetsOperations) => Promise<T>): Promise<T> {
  const target = remoteTarget();
  if (target) {
    const client = new RemoteSwarmflowClient(target);
    try {
      return await work(client.datasets);
    } finally {
      await client.close();
    }
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await work(new DatasetsApi(database.db, config.tenantId));
  } finally {
    await database.close();
  }
}
