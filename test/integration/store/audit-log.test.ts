import { rm } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../activities/store/audit-log.ts';
import { connectDatabase, openDatabase } from '../../../activities/store/database.ts';
import { AuditEntry, type AuditEntryInput } from '../../../schema/audit.ts';
import type { Database } from '../../../schema/db/tables.ts';
import { createTestDatabase } from '../../support/database.ts';
import { embeddedConfig, newHome } from './backends.ts';

interface Backend {
  name: string;
  open(): Promise<{ db: Kysely<Database>; url: string; drop(): Promise<void> }>;
}

/** PostgreSQL, and embedded PGlite served over its socket, where the triggers and the head lock must work too. */
const backends: Backend[] = [
  { name: 'PostgreSQL', open: createTestDatabase },
  {
    name: 'embedded PGlite',
    async open() {
      const home = await newHome();
      const handle = await openDatabase(embeddedConfig(home));
      return {
        db: handle.db,
        url: handle.url,
        async drop() {
          await handle.close();
          await rm(home, { recursive: true, force: true });
        },
      };
    },
  },
];

const entry = (tenant: string, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  tenant,
  actor: { kind: 'api-key', id: 'key_ops' },
  action: 'runs.start',
  target: { kind: 'run', id: 'run-1' },
  requestId: 'req-1',
  outcome: 'ok',
  status: 201,
  details: { routine: 'greeting' },
  ...overrides,
});

/** Runs `work` in a transaction that is always rolled back, with the append-only trigger off: a tamperer's view. */
async function tamper<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const rollback = new Error('rollback');
  let result: T | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
      result = await work(trx);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result as T;
}

describe.each(backends)('the audit log on $name', (backend) => {
  let database: Awaited<ReturnType<Backend['open']>>;
  let log: AuditLog;

  beforeAll(async () => {
    database = await backend.open();
    log = new AuditLog(database.db);
  }, 120_000);
  afterAll(() => database?.drop());

  it('appends, lists with filters and verifies a tenant chain', async () => {
    const first = await log.append(entry('list'));
    const denied = await log.append(
      entry('list', {
        actor: { kind: 'oidc', id: 'user|42' },
        action: 'approvals.decide',
        target: { kind: 'approval', id: 'run-1/call-1' },
        outcome: 'denied',
        status: 403,
        reason: 'role viewer lacks approvals:decide',
        details: { approved: true, headers: { authorization: 'Bearer abc' } },
      }),
    );
    const cancel = await log.append(
      entry('list', { action: 'runs.cancel', requestId: undefined, status: 202 }),
    );
    await log.append(entry('other-tenant'));

    expect(first).toMatchObject({ tenant: 'list', tenantSeq: 1, prevHash: '0'.repeat(64) });
    expect(denied).toMatchObject({ tenantSeq: 2, prevHash: first.hash });
    expect(denied.details).toEqual({ approved: true, headers: { authorization: '[redacted]' } });
    expect(cancel).not.toHaveProperty('requestId');
    expect(Date.parse(denied.at)).toBeGreaterThanOrEqual(Date.parse(first.at));

    const all = await log.list({ tenant: 'list' });
    expect(all).toEqual([first, denied, cancel]);
    for (const listed of all) AuditEntry.parse(listed);
    expect(all[1]).toMatchObject({
      actor: { kind: 'oidc', id: 'user|42' },
      tenant: 'list',
      action: 'approvals.decide',
      target: { kind: 'approval', id: 'run-1/call-1' },
      outcome: 'denied',
      status: 403,
      reason: 'role viewer lacks approvals:decide',
      at: expect.any(String),
    });

    const seqs = async (filter: Omit<Parameters<AuditLog['list']>[0], 'tenant'>) =>
      (await log.list({ tenant: 'list', ...filter })).map((found) => found.seq);
    expect(await seqs({ action: 'runs.*' })).toEqual([first.seq, cancel.seq]);
    expect(await seqs({ action: 'runs.cancel' })).toEqual([cancel.seq]);
    expect(await seqs({ actor: 'user|42' })).toEqual([denied.seq]);
    expect(await seqs({ outcome: 'denied' })).toEqual([denied.seq]);
    expect(await seqs({ after: first.seq, limit: 1 })).toEqual([denied.seq]);
    expect(await seqs({ order: 'desc', limit: 2 })).toEqual([cancel.seq, denied.seq]);
    expect(await seqs({ since: new Date(denied.at) })).toEqual(
      all.filter((found) => found.at >= denied.at).map((found) => found.seq),
    );
    expect(await seqs({ until: new Date(first.at) })).toEqual([]);

    expect(await log.verify('list')).toEqual({ ok: true, entries: 3, tenants: 1 });
    expect(await log.verify()).toMatchObject({ ok: true, tenants: 2 });
  });

  it('keeps one unbroken chain under 50 concurrent appends from two pools', async () => {
    const second = await connectDatabase(database.url);
    try {
      const logs = [log, new AuditLog(second.db)];
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (logs[i % 2] as AuditLog).append(entry('busy', { target: { kind: 'run', id: `run-${i}` } })),
        ),
      );
      expect(appended.map((found) => found.tenantSeq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const chain = await log.list({ tenant: 'busy', limit: 1000 });
      expect(chain.map((found) => found.tenantSeq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await log.verify('busy')).toEqual({ ok: true, entries: 50, tenants: 1 });
    } finally {
      await second.close();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE through a normal connection, and rewinding a head', async () => {
    await log.append(entry('guarded'));
    const refused = /audit_log is append-only: (UPDATE|DELETE|TRUNCATE) refused/;
    await expect(
      database.db
        .updateTable('audit_log')
        .set({ outcome: 'error' })
        .where('tenant_id', '=', 'guarded')
        .execute(),
    ).rejects.toThrow(refused);
    await expect(
      database.db.deleteFrom('audit_log').where('tenant_id', '=', 'guarded').execute(),
    ).rejects.toThrow(refused);
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(refused);
    await expect(
      database.db.updateTable('audit_heads').set({ length: 0 }).where('tenant_id', '=', 'guarded').execute(),
    ).rejects.toThrow(/audit_heads only moves forward/);
    await expect(database.db.deleteFrom('audit_heads').execute()).rejects.toThrow(
      /audit_heads only moves forward/,
    );
    expect(await log.verify('guarded')).toMatchObject({ ok: true, entries: 1 });
  });

  it('names an edited entry, a deleted entry and a deleted tail', async () => {
    const appended = [];
    for (let i = 0; i < 5; i++) appended.push(await log.append(entry('tampered', { requestId: `req-${i}` })));
    const [, second, third, , last] = appended as [
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
    ];

    const edited = await tamper(database.db, async (trx) => {
      await trx.updateTable('audit_log').set({ outcome: 'denied' }).where('seq', '=', third.seq).execute();
      return new AuditLog(trx).verify('tampered');
    });
    expect(edited).toMatchObject({ ok: false, brokenAt: third.seq, reason: 'edited', tenant: 'tampered' });

    const deleted = await tamper(database.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('seq', '=', second.seq).execute();
      return new AuditLog(trx).verify('tampered');
    });
    expect(deleted).toMatchObject({ ok: false, brokenAt: third.seq, reason: 'deleted', entries: 1 });

    const tail = await tamper(database.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
      return new AuditLog(trx).verify();
    });
    expect(tail).toMatchObject({ ok: false, reason: 'deleted', tenant: 'tampered' });
    expect(tail.ok === false && tail.message).toMatch(/head records 5 entries but the log holds 4/);

    expect(await log.verify('tampered')).toMatchObject({ ok: true, entries: 5 });
  });

  it('exports one JSON line per entry since a time, oldest first', async () => {
    const appended = [];
    for (let i = 0; i < 4; i++) {
      appended.push(await log.append(entry('exported', { requestId: `req-${i}` })));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const since = appended[1] as AuditEntry;
    const lines: string[] = [];
    for await (const line of log.export({ tenant: 'exported', since: new Date(since.at) })) lines.push(line);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines.map((line) => AuditEntry.parse(JSON.parse(line)))).toEqual(appended.slice(1));
  });
});
