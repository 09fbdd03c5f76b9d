import { type Kysely, sql } from 'kysely';

// A migration is a frozen snapshot: it never imports the live table types, so its database is untyped.

/**
 * The audit log: append-only, hash-chained per tenant (see activities/store/audit-log.ts).
 *
 * `audit_log` refuses UPDATE, DELETE and TRUNCATE in the database itself, so no code path of the
 * application can rewrite history. `audit_heads` holds each tenant's chain head (length and last
 * hash): appends lock its row, so two writers never fork a chain, and `verify` compares it with the
 * last entry, so entries deleted from the tail are caught too. A head only moves forward.
 *
 * The table owner (or a superuser) can still drop these triggers: they stop mistakes and every role
 * that does not own the table; the hash chain, checked by `swarmflow audit verify`, catches the rest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigserial', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('tenant_seq', 'bigint', (col) => col.notNull())
    .addColumn('actor_kind', 'text', (col) => col.notNull())
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_kind', 'text', (col) => col.notNull())
    .addColumn('target_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('ok', 'denied', 'error')`))
    .addColumn('status_code', 'integer')
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('details', 'jsonb', (col) => col.notNull())
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    // A second line of defence against a forked chain: one entry per tenant position.
    .addUniqueConstraint('audit_log_tenant_seq_key', ['tenant_id', 'tenant_seq'])
    .execute();
  await db.schema
    .createIndex('audit_log_tenant_at_idx')
    .on('audit_log')
    .columns(['tenant_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_log_tenant_action_idx')
    .on('audit_log')
    .columns(['tenant_id', 'action', 'seq'])
    .execute();

  await db.schema
    .createTable('audit_heads')
    .addColumn('tenant_id', 'text', (col) => col.primaryKey())
    .addColumn('length', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('last_hash', 'text')
    .addColumn('last_at', 'timestamptz')
    .execute();

  await sql`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege',
              hint = 'audit entries are never changed or removed; append a correcting entry instead';
    end;
    $$`.execute(db);
  await guardTable(db, 'audit_log', 'audit_log_append_only', 'audit_log_refuse_change');

  await sql`
    create function audit_heads_forward_only() returns trigger language plpgsql as $$
    begin
      -- nested, since a statement-level (TRUNCATE) call has no row to look at
      if tg_op = 'UPDATE' then
        if new.tenant_id = old.tenant_id and new.length = old.length + 1 then
          return new;
        end if;
      end if;
      raise exception 'audit_heads only moves forward: % refused', tg_op
        using errcode = 'insufficient_privilege';
    end;
    $$`.execute(db);
  await guardTable(db, 'audit_heads', 'audit_heads_forward_only', 'audit_heads_forward_only');
}

/** Runs `check` before every UPDATE and DELETE of a row of `table` (trigger `trigger`), and before TRUNCATE. */
async function guardTable(db: Kysely<unknown>, table: string, trigger: string, check: string): Promise<void> {
  await sql`
    create trigger ${sql.id(trigger)} before update or delete on ${sql.table(table)}
    for each row execute function ${sql.id(check)}()`.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
    for each statement execute function ${sql.id(check)}()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_heads').execute();
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_heads_forward_only()`.execute(db);
  await sql`drop function audit_log_refuse_change()`.execute(db);
}
