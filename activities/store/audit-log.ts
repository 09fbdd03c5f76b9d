import { type Kysely, type Selectable, sql } from 'kysely';
import {
  type AuditEntry,
  AuditEntryInput,
  type AuditOutcome,
  type AuditVerification,
} from '../../schema/audit.ts';
import type { AuditLogTable, Database } from '../../schema/db/tables.ts';
import { parseInput } from '../../schema/validation.ts';
import { ChainChecker, type ChainHead, entryHash, genesisHash, redactSecrets } from './audit-chain.ts';

export interface AuditFilter {
  tenant: string;
  /** Entries at or after this time. */
  since?: Date;
  /** Entries before this time. */
  until?: Date;
  /** An action (`runs.start`), or every action of a resource (`runs.*`). */
  action?: string;
  /** The actor's id (key id or OIDC subject). */
  actor?: string;
  outcome?: AuditOutcome;
  /** Entries with a `seq` greater than this: the cursor for the next page, oldest first. */
  after?: number;
  /** Entries with a `seq` less than this: the cursor for the next page, newest first. */
  before?: number;
  /** 100 when omitted, at most 1000. */
  limit?: number;
  /** `asc` (oldest first) when omitted. */
  order?: 'asc' | 'desc';
}

export interface AuditExportFilter {
  tenant: string;
  since?: Date;
  until?: Date;
}

const defaultLimit = 100;
const maxLimit = 1000;
const batchSize = 1000;

type AuditRow = Selectable<AuditLogTable>;

/**
 * The append-only, hash-chained audit log (tables in migration 0006; chain rules in
 * ./audit-chain.ts). The API server appends one entry per mutation and per denied attempt.
 *
 * Appends of one tenant are serialised by a row lock on the tenant's head (`SELECT ... FOR
 * UPDATE` on `audit_heads`): the next writer waits for the previous one to commit, then links to
 * its hash, so concurrent writers never fork the chain. A row lock rather than an advisory lock,
 * because the head is needed anyway (it catches a deleted tail) and row locks behave the same on
 * PostgreSQL and PGlite.
 *
 * Within a tenant, `seq` grows in commit order (the lock orders the inserts), so `after` is a safe
 * paging cursor for one tenant's entries.
 */
export class AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends one entry to its tenant's chain and returns it as stored. Secret-looking details are redacted. */
  async append(input: AuditEntryInput): Promise<AuditEntry> {
    const entry = parseInput(AuditEntryInput, input, 'audit entry');
    return this.inTransaction(async (trx) => {
      const head = await lockHead(trx, entry.tenant);
      // The database's clock, so that several API servers agree; never before the previous entry.
      const at = head.last_at !== null && head.last_at > head.now ? head.last_at : head.now;
      const fields = {
        tenant: entry.tenant,
        tenantSeq: head.length + 1,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
        outcome: entry.outcome,
        ...(entry.status === undefined ? {} : { status: entry.status }),
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
        at: at.toISOString(),
        details: redactSecrets(entry.details),
      };
      const prevHash = head.last_hash ?? genesisHash;
      const hash = entryHash(prevHash, fields);
      // One statement writes the entry and moves the head: fewer round trips while the head is locked.
      const { seq } = await trx
        .with('entry', (db) =>
          db
            .insertInto('audit_log')
            .values({
              tenant_id: fields.tenant,
              tenant_seq: fields.tenantSeq,
              actor_kind: fields.actor.kind,
              actor_id: fields.actor.id,
              action: fields.action,
              target_kind: fields.target.kind,
              target_id: fields.target.id ?? null,
              request_id: fields.requestId ?? null,
              outcome: fields.outcome,
              status_code: fields.status ?? null,
              reason: fields.reason ?? null,
              at,
              details: JSON.stringify(fields.details),
              prev_hash: prevHash,
              hash,
            })
            .returning('seq'),
        )
        .updateTable('audit_heads')
        .set({ length: fields.tenantSeq, last_hash: hash, last_at: at })
        .where('tenant_id', '=', entry.tenant)
        .returning((eb) => eb.selectFrom('entry').select('seq').$asScalar().as('seq'))
        .executeTakeFirstOrThrow();
      return { seq: Number(seq), ...fields, prevHash, hash };
    });
  }

  /** A tenant's entries matching `filter`, oldest first unless `order` is `desc`. */
  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const order = filter.order ?? 'asc';
    const limit = Math.min(Math.max(1, filter.limit ?? defaultLimit), maxLimit);
    let query = this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', filter.tenant);
    if (filter.since) query = query.where('at', '>=', filter.since);
    if (filter.until) query = query.where('at', '<', filter.until);
    if (filter.action?.endsWith('.*')) {
      query = query.where('action', 'like', `${escapeLike(filter.action.slice(0, -1))}%`);
    } else if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actor) query = query.where('actor_id', '=', filter.actor);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.after !== undefined) query = query.where('seq', '>', filter.after);
    if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
    const rows = await query.orderBy('seq', order).limit(limit).execute();
    return rows.map(toEntry);
  }

  /**
   * Walks the chain of `tenant` (of every tenant when omitted) in one consistent snapshot:
   * recomputes every hash, checks positions and links, and compares each chain with its head.
   */
  async verify(tenant?: string): Promise<AuditVerification> {
    return this.inTransaction(async (trx) => {
      const checker = new ChainChecker();
      const broken = (found: NonNullable<ReturnType<ChainChecker['check']>>): AuditVerification => ({
        ok: false,
        entries: checker.entries,
        ...found,
      });
      for await (const entry of entries(trx, { tenant })) {
        const found = checker.check(entry);
        if (found) return broken(found);
      }
      let headQuery = trx.selectFrom('audit_heads').selectAll();
      if (tenant !== undefined) headQuery = headQuery.where('tenant_id', '=', tenant);
      const heads = new Map<string, ChainHead>(
        (await headQuery.execute()).map((head) => [
          head.tenant_id,
          { length: head.length, lastHash: head.last_hash },
        ]),
      );
      const found = checker.checkHeads(heads);
      if (found) return broken(found);
      return { ok: true, entries: checker.entries, tenants: checker.tenantCount };
    }, 'repeatable read');
  }

  /** A tenant's entries from `since`, oldest first, as JSON lines (each ends with a newline). */
  async *export(filter: AuditExportFilter): AsyncIterable<string> {
    for await (const entry of entries(this.db, filter)) yield `${JSON.stringify(entry)}\n`;
  }

  /** Runs `work` in a transaction, or in the caller's when this log was made on one. */
  private inTransaction<T>(
    work: (trx: Kysely<Database>) => Promise<T>,
    isolation?: 'repeatable read',
  ): Promise<T> {
    if (this.db.isTransaction) return work(this.db);
    const transaction = this.db.transaction();
    return (isolation ? transaction.setIsolationLevel(isolation) : transaction).execute(work);
  }
}

/**
 * Locks the tenant's head row until the transaction ends and reads it, with the database's clock.
 * The first append of a tenant creates the row; a concurrent first append waits on its key.
 */
async function lockHead(trx: Kysely<Database>, tenant: string) {
  const select = () =>
    trx
      .selectFrom('audit_heads')
      .select(['length', 'last_hash', 'last_at', sql<Date>`clock_timestamp()`.as('now')])
      .where('tenant_id', '=', tenant)
      .forUpdate()
      .executeTakeFirst();
  const head = await select();
  if (head) return head;
  await trx
    .insertInto('audit_heads')
    .values({ tenant_id: tenant })
    .onConflict((conflict) => conflict.column('tenant_id').doNothing())
    .execute();
  const created = await select();
  if (!created) throw new Error(`the audit head of tenant "${tenant}" vanished while it was created`);
  return created;
}

/** Every entry matching the filter, oldest first, read in batches. */
async function* entries(
  db: Kysely<Database>,
  filter: { tenant?: string | undefined; since?: Date | undefined; until?: Date | undefined },
): AsyncIterable<AuditEntry> {
  let after = 0;
  for (;;) {
    let query = db.selectFrom('audit_log').selectAll().where('seq', '>', after);
    if (filter.tenant !== undefined) query = query.where('tenant_id', '=', filter.tenant);
    if (filter.since) query = query.where('at', '>=', filter.since);
    if (filter.until) query = query.where('at', '<', filter.until);
    const rows = await query.orderBy('seq').limit(batchSize).execute();
    for (const row of rows) yield toEntry(row);
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) return;
    after = last.seq;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    tenant: row.tenant_id,
    tenantSeq: row.tenant_seq,
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    target: row.target_id === null ? { kind: row.target_kind } : { kind: row.target_kind, id: row.target_id },
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    outcome: row.outcome,
    ...(row.status_code === null ? {} : { status: row.status_code }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    at: row.at.toISOString(),
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
