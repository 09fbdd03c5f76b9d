import type { Command } from 'commander';
import { routineInsights } from '../../../activities/insights/routine-insights.ts';
import { openDatabase } from '../../../activities/store/database.ts';
import { loadConfig } from '../../../schema/config.ts';
import type { InsightsReport } from '../../../schema/insights.ts';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput } from '../../../schema/validation.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../remote/swarmflow-client.ts';
import { remoteTarget } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { parseWhen } from './audit.ts';

export function insightsCommand(program: Command): void {
  program
    .command('insights <routine>')
    .description(
      "what a routine's recorded runs tell: failure clusters, cost and latency outliers, LLM steps that could be deterministic, routines to combine",
    )
    .option(
      '--since <when>',
      'only runs started at or after this time: an ISO 8601 time, or a duration back from now (P7D)',
    )
    .option('--json', 'print the report as one JSON object')
    .addHelpText(
      'after',
      "\nDirect mode reads the database (DATABASE_URL, else the embedded one) as tenant SWARMFLOW_TENANT; with --url, the API key's tenant (needs runs:read).\n",
    )
    .action(async (routine: string, options: { since?: string; json?: boolean }) => {
      const routineId = parseInput(RoutineId, routine, 'routine argument');
      const since = options.since === undefined ? undefined : parseWhen(options.since, '--since');
      const report = await readInsights(routineId, since);
      if (options.json) return printJson(report);
      printReport(report);
    });
}

async function readInsights(routineId: string, since: Date | undefined): Promise<InsightsReport> {
  const request = since ? { since } : {};
  const target = remoteTarget();
  if (target) {
    const client = new RemoteSwarmflowClient(target);
    try {
      return await client.insights(routineId, request);
    } finally {
      await client.close();
    }
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await routineInsights(database.db, config.tenantId, routineId, request);
  } finally {
    await database.close();
  }
}

const round = (value: number) => Number(value.toPrecision(4));

function section(title: string): void {
  process.stdout.write(`\n${title}\n`);
}

function printReport(report: InsightsReport): void {
  const window = report.since ? ` since ${report.since.toISOString()}` : '';
  process.stdout.write(
    `routine ${report.routineId}: ${report.runs} runs${window}, ${report.failedRuns} failed\n`,
  );

  section('Failure clusters');
  printTable(
    report.failureClusters.map((c) => ({
      element: c.elementId,
      count: c.count,
      error: c.error,
      runs: c.runIds.join(' '),
      last: c.lastAt.toISOString(),
    })),
  );

  section('Cost and latency outliers (above median + 3 x MAD)');
  printTable(
    report.outliers.map((g) => ({
      element: g.elementId,
      metric: g.metric,
      median: round(g.median),
      threshold: round(g.threshold),
      outliers: g.outliers
        .slice(0, 5)
        .map((o) => `${o.runId}=${round(o.value)}`)
        .join(' '),
      of: `${g.outliers.length}/${g.samples}`,
    })),
  );

  section('LLM steps whose output was a function of their input (candidates to make deterministic)');
  printTable(
    report.deterministicCandidates.map((d) => ({
      element: d.elementId,
      strategy: d.strategies.join(','),
      runs: d.runs,
      inputs: d.distinctInputs,
      repeated: d.repeatedInputs,
      outputs: d.distinctOutputs,
    })),
  );

  section('Routines run one after the other with fitting schemas (candidates to combine)');
  printTable(
    report.chainCandidates.map((c) => ({
      before: c.before,
      after: c.after,
      'in swarms': c.inSwarms,
      'back to back': c.backToBack,
      'fed outputs': c.chainedInputs,
      fields: c.coveredFields.join(','),
    })),
  );
  for (const note of report.notes) process.stdout.write(`\nnote: ${note}\n`);
}
