import type { Command } from 'commander';
import { loadDeploymentConfig } from '../../../activities/config/load-deployment-config.ts';
import {
  type CheckResult,
  checkModel,
  type ModelCheckReport,
} from '../../../activities/models/model-check.ts';
import { modelUses } from '../../../activities/models/model-needs.ts';
import { ModelRegistry } from '../../../activities/models/model-registry.ts';
import { openDatabase } from '../../../activities/store/database.ts';
import { RoutineStore } from '../../../activities/store/routine-store.ts';
import { AgentCatalog } from '../../../activities/swarms/agent-catalog.ts';
import type { Agent } from '../../../schema/agent.ts';
import { loadConfig } from '../../../schema/config.ts';
import type { CompiledRoutine } from '../../../schema/graph.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { printJson, printTable } from '../output.ts';

/** One model's whole check may take this long before it is reported as not answering. */
const checkTimeoutMs = 60_000;

export function modelsCommands(program: Command): void {
  const models = program.command('models').description("the deployment's models (swarmflow.config.json)");
  models
    .command('check [name]')
    .description(
      'send each configured model (or one) the smallest requests that show what works: reachable, authenticated, tool calls, structured output, usage, latency',
    )
    .option('--json', 'print one JSON object {ok, catalog, models: [...]}')
    .action(async (name: string | undefined, options: { json?: boolean }) => {
      const deployment = await loadDeploymentConfig();
      const names = name === undefined ? Object.keys(deployment.models) : [name];
      const unknown = names.filter((candidate) => !(candidate in deployment.models));
      if (unknown.length > 0 || names.length === 0) {
        const known = Object.keys(deployment.models).join(', ') || 'none';
        throw new ValidationError('models check', [
          names.length === 0
            ? '(root): swarmflow.config.json configures no model; add one under "models"'
            : `name: no model "${unknown[0]}" is configured; configured models: ${known}`,
        ]);
      }
      const catalog = await readCatalog();
      const uses = modelUses(deployment, catalog.agents, catalog.routines);
      const registry = new ModelRegistry(deployment);
      const reports: ModelCheckReport[] = [];
      for (const model of names) {
        reports.push(
          await checkModel(registry, model, uses.get(model) ?? [], AbortSignal.timeout(checkTimeoutMs)),
        );
      }
      const ok = reports.every((report) => report.ok);
      if (options.json) printJson({ ok, catalog: catalog.note, models: reports });
      else printReports(reports, catalog.note);
      if (!ok) process.exitCode = 1;
    });
}

interface Catalog {
  agents: Agent[];
  routines: { id: string; compiled: CompiledRoutine }[];
  /** `read`, or why the catalog could not be read (then only the config says who uses which model). */
  note: string;
}

/** The tenant's agents and routines, which say what each model must be able to do. */
async function readCatalog(): Promise<Catalog> {
  const config = loadConfig();
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase(config);
    const routines = new RoutineStore(database.db);
    const agents = await new AgentCatalog(database.db).list(config.tenantId);
    const summaries = await routines.list(config.tenantId);
    const versions = await Promise.all(summaries.map((summary) => routines.get(config.tenantId, summary.id)));
    return { agents, routines: versions, note: 'read' };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { agents: [], routines: [], note: `not read (${why}): needs come from the config alone` };
  } finally {
    await database?.close();
  }
}

function printReports(reports: ModelCheckReport[], catalog: string): void {
  const cell = (result: CheckResult) =>
    result.status === 'ok' ? 'ok' : result.status === 'failed' ? 'FAILED' : '-';
  printTable(
    reports.map((report) => ({
      model: report.model,
      reachable: cell(report.reachable),
      auth: cell(report.authenticated),
      answers: cell(report.answers),
      tools: cell(report.toolCalls),
      structured: cell(report.structuredOutput),
      usage: cell(report.usageReported),
      latency: report.latencyMs === undefined ? '-' : `${report.latencyMs} ms`,
      needs: [...new Set(report.uses.map((use) => use.need))].join(',') || '-',
      verdict: report.ok ? 'ok' : 'NOT OK',
    })),
  );
  for (const report of reports) {
    const checks = {
      reachable: report.reachable,
      authenticated: report.authenticated,
      answers: report.answers,
      'tool calls': report.toolCalls,
      'structured output': report.structuredOutput,
      usage: report.usageReported,
    };
    for (const [what, result] of Object.entries(checks)) {
      if (result.status !== 'ok' && result.detail)
        process.stdout.write(`${report.model} ${what}: ${result.detail}\n`);
    }
    if (!report.ok && report.uses.length > 0) {
      const by = [...new Set(report.uses.map((use) => `${use.by} needs ${use.need}`))].join('; ');
      process.stdout.write(`${report.model} is used by: ${by}\n`);
    }
  }
  process.stdout.write(`catalog: ${catalog}\n`);
}
