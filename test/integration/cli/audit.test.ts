import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../activities/store/audit-log.ts';
import { AuditEntry } from '../../../schema/audit.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

// A database of its own: the tampering below is committed, which would break other tests' chains.
let database: TestDatabase;
let env: NodeJS.ProcessEnv;
const appended: AuditEntry[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, SWARMFLOW_TENANT: 'acme' };
  const log = new AuditLog(database.db);
  for (const [i, action] of ['runs.start', 'approvals.decide', 'runs.cancel'].entries()) {
    appended.push(
      await log.append({
        tenant: 'acme',
        actor: { kind: 'api-key', id: 'key_ops' },
        action,
        target: { kind: 'run', id: `run-${i}` },
        requestId: `req-${i}`,
        outcome: i === 1 ? 'denied' : 'ok',
        status: i === 1 ? 403 : 200,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await log.append({
    tenant: 'globex',
    actor: { kind: 'oidc', id: 'someone' },
    action: 'runs.start',
    target: { kind: 'run', id: 'other' },
    outcome: 'ok',
  });
}, 120_000);
afterAll(() => database?.drop());

// Each CLI start compiles TypeScript on the fly: give a loaded machine room.
describe('swarmflow audit', { timeout: 240_000 }, () => {
  it("lists the tenant's entries, newest first, as GET /v1/audit does with --json", async () => {
    const listed = await runCli(['audit', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const { entries } = JSON.parse(listed.stdout) as { entries: unknown[] };
    expect(entries).toEqual([...appended].reverse());

    const runs = await runCli(['audit', 'list', '--action', 'runs.*'], env);
    expect(runs.stdout.split('\n')[0]).toMatch(/^SEQ\s+AT\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME\s+REQUEST/);
    expect(runs.stdout).toMatch(/api-key:key_ops\s+runs\.cancel\s+run\/run-2\s+ok 200\s+req-2/);
    expect(runs.stdout).not.toMatch(/approvals\.decide|other/);
  });

  it('exports one JSON object per line since a time', async () => {
    const since = appended[1] as AuditEntry;
    const exported = await runCli(['audit', 'export', '--since', since.at], env);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines.map((line) => AuditEntry.parse(JSON.parse(line)))).toEqual(appended.slice(1));

    // The export checks on its own, from its first entry; an edited line is named.
    const file = join(await mkdtemp(join(tmpdir(), 'swarmflow-audit-')), 'audit.jsonl');
    const last = appended[2] as AuditEntry;
    await writeFile(file, exported.stdout.replace('"outcome":"ok"', '"outcome":"error"'));
    const checked = await runCli(['audit', 'verify', '--file', file], env);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(new RegExp(`BROKEN \\(edited\\): entry ${last.seq} `));
    await rm(dirname(file), { recursive: true, force: true });
  });

  it('verifies the chain, and exits 1 naming the first edited entry', async () => {
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/tenant "acme": 3 entries in 1 tenant chain\(s\), intact/);

    const edited = appended[1] as AuditEntry;
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(database.db);
    await sql`update audit_log set outcome = 'ok', status_code = 200 where seq = ${edited.seq}`.execute(
      database.db,
    );
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(database.db);

    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      new RegExp(`BROKEN \\(edited\\): entry ${edited.seq} \\(position 2 of tenant "acme"\\)`),
    );

    const json = await runCli(['audit', 'verify', '--all-tenants', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      brokenAt: edited.seq,
      reason: 'edited',
      tenant: 'acme',
    });
  });
});
