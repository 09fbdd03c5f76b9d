import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quietTemporalLogs } from '../workers/logging.ts';
import type { CaseContext } from './case-context.ts';
import { agentPeerCase } from './cases/agent-peer.ts';
import { creationCase } from './cases/creation.ts';
import { heldCase } from './cases/held.ts';
import { inMemoryCase } from './cases/in-memory.ts';
import { overheadCase } from './cases/overhead.ts';
import { parallelCase } from './cases/parallel.ts';
import { type BenchEnvironment, startEnvironment } from './environment.ts';
import { benchPlan } from './plan.ts';
import { type CaseRow, writeResults } from './results.ts';
import { formatTable } from './table.ts';

// `npm run bench [-- --quick] [--cpu-prof-dir <folder>] [--only <text>] [--max-cached-workflows <n>]`:
// starts a dev server, a database and workers, runs every case, prints the table and writes
// bench/results.json. Everything it starts, it stops. With --cpu-prof-dir, worker processes leave V8
// CPU profiles in that folder; with --only, just the cases whose title contains the text run
// (`--only 10000`, `--only overhead`); with --max-cached-workflows, every worker caches at most that
// many workflows (the SDK's default, from the heap size, otherwise).

const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
    only: { type: 'string', default: '' },
    'max-cached-workflows': { type: 'string' },
  },
});
const plan = benchPlan(values.quick);
const maxCachedWorkflows =
  values['max-cached-workflows'] === undefined ? undefined : Number(values['max-cached-workflows']);
if (maxCachedWorkflows !== undefined && !(Number.isInteger(maxCachedWorkflows) && maxCachedWorkflows > 0))
  throw new Error('--max-cached-workflows takes a positive whole number');
quietTemporalLogs();

type Case = { title: string; run: (context: CaseContext) => Promise<CaseRow[]> };
// Held executions run last, smallest first: thousands of them grow the dev server's database for
// every later case. Results are written after every case, so a run cut short keeps what it measured.
const allCases: Case[] = [
  { title: '1 orchestration overhead', run: (context) => overheadCase(context, plan.overhead) },
  { title: '2 parallel branches', run: (context) => parallelCase(context, plan.parallel) },
  { title: '4 durable-agent peer', run: (context) => agentPeerCase(context, plan.agentPeer) },
  {
    title: '5 in-memory BPMN reference',
    run: (context) => inMemoryCase(context, plan.inMemory, plan.overhead.steps),
  },
  { title: '6 workflow creation', run: (context) => creationCase(context, plan.creation) },
  ...plan.held.runs.map(
    (held): Case => ({
      title: `3 held executions (${held.count})`,
      run: (context) => heldCase(context, held, plan.held.callConcurrency),
    }),
  ),
];
const cases = allCases.filter(({ title }) => title.includes(values.only));
if (cases.length === 0) throw new Error(`no case title contains "${values.only}"`);

const startedAt = new Date();
const startLoad = loadavg()[0] ?? 0;
const caseLoads: { case: string; oneMinute: number }[] = [];
let env: BenchEnvironment | undefined;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping everything the bench started`);
    void (env?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

log(`swarmflow bench (${plan.mode}): dev server, database and workers on 127.0.0.1; load average ${load()}`);
try {
  env = await startEnvironment({ cpuProfileDir: values['cpu-prof-dir'], maxCachedWorkflows });
  const rows: CaseRow[] = [];
  const failed: string[] = [];
  for (const { title, run } of cases) {
    if (interrupted) break;
    const resources = env.forCase();
    const caseStarted = Date.now();
    try {
      rows.push(...(await run({ env, resources, log })));
      log(
        `case ${title}: done in ${Math.round((Date.now() - caseStarted) / 1000)} s, load average ${load()}`,
      );
    } catch (error) {
      failed.push(`${title}: ${error instanceof Error ? error.message : String(error)}`);
      log(`case ${title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      await resources.close();
    }
    caseLoads.push({ case: title, oneMinute: loadavg()[0] ?? 0 });
    await save(env, rows, failed);
  }
  process.stdout.write(`${formatTable(sorted(rows))}\n`);
  log(`wrote ${resultsPath}; ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s in all`);
  if (failed.length > 0) {
    log(`failed cases:\n  ${failed.join('\n  ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await env?.close();
}

/** Writes bench/results.json with the cases measured so far. */
async function save(env: BenchEnvironment, rows: CaseRow[], failed: string[]): Promise<void> {
  await writeResults(resultsPath, {
    mode: plan.mode,
    only: values.only,
    maxCachedWorkflows: maxCachedWorkflows ?? null,
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    loadAverage: { atStart: startLoad, afterEachCase: caseLoads },
    machine: env.machine,
    failedCases: failed,
    cases: sorted(rows),
  });
}

/** Rows in case order (case 3 runs last but reads third). */
function sorted(rows: CaseRow[]): CaseRow[] {
  return [...rows].sort((a, b) => Number.parseInt(a.name, 10) - Number.parseInt(b.name, 10));
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}
