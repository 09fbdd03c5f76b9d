import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ChainChecker } from '../../../activities/store/audit-chain.ts';
import { type AuditFilter, AuditLog } from '../../../activities/store/audit-log.ts';
import { openDatabase } from '../../../activities/store/database.ts';
import { AuditEntry, AuditOutcome, type AuditVerification } from '../../../schema/audit.ts';
import { loadConfig } from '../../../schema/config.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import type { RemoteAuditFilter } from '../../remote/remote-audit.ts';
import { SwarmflowClient as RemoteSwarmflowClient } from '../../remote/swarmflow-client.ts';
import { remoteTarget } from '../context.ts';
import { parseDurationOption } from '../duration-option.ts';
import { printJson, printTable } from '../output.ts';

const tenantNote =
  'Reads the database directly (DATABASE_URL, else the embedded one); the tenant is SWARMFLOW_TENANT ' +
  '("default" when unset). With --url, `audit list` reads the API key\'s own tenant through the API.\n';

const whenHelp =
  'an ISO 8601 time (2025-06-01, 2025-06-01T12:00:00Z), or a duration back from now (P7D, PT2H)';

export function auditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('read, verify and export the hash-chained audit log')
    .addHelpText('after', `\n${tenantNote}`);

  audit
    .command('list')
    .description('list audit entries, newest first')
    .option('--since <when>', `entries at or after this time: ${whenHelp}`)
    .option('--until <when>', 'entries before this time')
    .option('--action <action>', 'one action (runs.start), or every action on a resource (runs.*)')
    .option('--actor <id>', "the actor's key id or OIDC subject")
    .option('--outcome <outcome>', `only this outcome (${AuditOutcome.options.join(', ')})`)
    .option('--limit <n>', 'at most this many (up to 1000)', Number, 50)
    .option('--json', 'print {"entries": [...]}, as GET /v1/audit does')
    .addHelpText('after', `\n${tenantNote}`)
    .action(async (options: ListOptions) => {
      const filter = listFilter(options);
      const target = remoteTarget();
      const entries = target
        ? await newestRemoteEntries(new RemoteSwarmflowClient(target), filter)
        : await withAuditLog((log, tenant) => log.list({ ...filter, tenant }));
      if (options.json) return printJson({ entries });
      printTable(entries.map(entryRow));
    });

  audit
    .command('verify')
    .description("recompute the tenant's hash chain; exit 1 naming the first edited, deleted or moved entry")
    .option('--all-tenants', "verify every tenant's chain, not only SWARMFLOW_TENANT's")
    .option(
      '--file <audit.jsonl>',
      'verify an export instead of the database (without the heads, a cut tail goes unseen)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `\n${tenantNote}`)
    .action(async (options: { allTenants?: boolean; file?: string; json?: boolean }) => {
      const { result, whose } = options.file
        ? { result: await verifyFile(options.file), whose: options.file }
        : await withAuditLog(async (log, tenant) => ({
            result: await log.verify(options.allTenants ? undefined : tenant),
            whose: options.allTenants ? 'every tenant' : `tenant "${tenant}"`,
          }));
      if (options.json) printJson(result);
      else process.stdout.write(`${describeVerification(result, whose)}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  audit
    .command('export')
    .description(
      'write audit entries as JSON lines, oldest first: swarmflow audit export --since P30D > audit.jsonl',
    )
    .option('--since <when>', `entries at or after this time (from the start when omitted): ${whenHelp}`)
    .option('--until <when>', 'entries before this time')
    .addHelpText(
      'after',
      `\nEach line holds one entry with its prevHash and hash: \`swarmflow audit verify --file audit.jsonl\` checks it.\n${tenantNote}`,
    )
    .action(async (options: { since?: string; until?: string }) => {
      const since = options.since === undefined ? undefined : parseWhen(options.since, '--since');
      const until = options.until === undefined ? undefined : parseWhen(options.until, '--until');
      await withAuditLog(async (log, tenant) => {
        for await (const line of log.export({ tenant, since, until })) await write(line);
      });
    });
}

interface ListOptions {
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  outcome?: string;
  limit: number;
  json?: boolean;
}

function listFilter(options: ListOptions): Omit<AuditFilter, 'tenant'> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 1000) {
    throw new ValidationError('--limit value', ['a whole number from 1 to 1000']);
  }
  return {
    order: 'desc',
    limit: options.limit,
    ...(options.since === undefined ? {} : { since: parseWhen(options.since, '--since') }),
    ...(options.until === undefined ? {} : { until: parseWhen(options.until, '--until') }),
    ...(options.action === undefined ? {} : { action: options.action }),
    ...(options.actor === undefined ? {} : { actor: options.actor }),
    ...(options.outcome === undefined
      ? {}
      : { outcome: parseInput(AuditOutcome, options.outcome, '--outcome') }),
  };
}

/** The API's largest page of audit entries. */
const remotePageSize = 1000;

/**
 * The newest `filter.limit` entries matching `filter`, newest first, through the API (GET
 * /v1/audit lists oldest first): pages through the matches, keeping the newest.
 */
async function newestRemoteEntries(
  client: RemoteSwarmflowClient,
  { order: _newestFirst, limit = 50, ...filter }: Omit<AuditFilter, 'tenant'>,
): Promise<AuditEntry[]> {
  let newest: AuditEntry[] = [];
  let after: number | undefined;
  for (;;) {
    const query: RemoteAuditFilter = {
      ...filter,
      limit: remotePageSize,
      ...(after === undefined ? {} : { after }),
    };
    const page = await client.audit.list(query);
    newest = [...newest, ...page].slice(-limit);
    const last = page.at(-1);
    if (page.length < remotePageSize || last === undefined) return newest.reverse();
    after = last.seq;
  }
}

/** Opens the configured database, runs `work` on its audit log for the configured tenant, and closes it. */
async function withAuditLog<T>(work: (log: AuditLog, tenant: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await work(new AuditLog(database.db), config.tenantId);
  } finally {
    await database.close();
  }
}

/** A time from an ISO 8601 timestamp or date, or an ISO 8601 duration counted back from now. */
export function parseWhen(text: string, option: string, now = Date.now()): Date {
  if (text.startsWith('P')) return new Date(now - parseDurationOption(text, option));
  const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ValidationError(`${option} value`, [
      `"${text}" is neither an ISO 8601 time nor a duration: ${whenHelp}`,
    ]);
  }
  return new Date(time);
}

function entryRow(entry: AuditEntry): Record<string, string | number | null> {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: `${entry.actor.kind}:${entry.actor.id}`,
    action: entry.action,
    target: entry.target.id === undefined ? entry.target.kind : `${entry.target.kind}/${entry.target.id}`,
    outcome: entry.status === undefined ? entry.outcome : `${entry.outcome} ${entry.status}`,
    request: entry.requestId ?? null,
  };
}

function describeVerification(result: AuditVerification, whose: string): string {
  if (result.ok)
    return `audit log of ${whose}: ${result.entries} entries in ${result.tenants} tenant chain(s), intact`;
  return `audit log of ${whose} is BROKEN (${result.reason}): ${result.message}`;
}

/** Checks the chains in an export file, each from its first entry in the file. */
async function verifyFile(path: string): Promise<AuditVerification> {
  const checker = new ChainChecker(true);
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ValidationError(`${path} line ${line}`, [`not JSON (${(error as Error).message})`]);
    }
    const found = checker.check(parseInput(AuditEntry, value, `${path} line ${line}`));
    if (found) return { ok: false, entries: checker.entries, ...found };
  }
  return { ok: true, entries: checker.entries, tenants: checker.tenantCount };
}

/** Writes to stdout, waiting when the pipe is full, so a large export streams in bounded memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
