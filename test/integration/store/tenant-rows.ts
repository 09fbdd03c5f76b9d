import type { Kysely } from 'kysely';
import type { Database } from '../../../schema/db/tables.ts';
import { compiledRoutine } from './fixtures.ts';

/**
 * One row of each table for a tenant, written as plain inserts, with ids derived from the tenant
 * so that two tenants' rows never collide. Keyed by every table of Database: a new table does not
 * compile until it says how a tenant owns its rows. In dependency order (parents first).
 */
type RowWriter = (db: Kysely<Database>, tenant: string) => Promise<unknown>;

export const tenantRowWriters: Record<keyof Database, RowWriter> = {
  tenants: (db, tenant) => db.insertInto('tenants').values({ id: tenant, name: tenant }).execute(),
  api_keys: (db, tenant) =>
    db
      .insertInto('api_keys')
      .values({
        id: `key_${tenant}`,
        tenant_id: tenant,
        name: 'ops',
        role: 'admin',
        hash: 'not-a-hash',
        created_by: 'test',
      })
      .execute(),
  routines: (db, tenant) =>
    db
      .insertInto('routines')
      .values({
        tenant_id: tenant,
        id: 'greet',
        name: 'Greet',
        kind: 'sequence',
        latest_version: 1,
        active_version: 1,
      })
      .execute(),
  routine_versions: (db, tenant) =>
    db
      .insertInto('routine_versions')
      .values({
        tenant_id: tenant,
        routine_id: 'greet',
        version: 1,
        kind: 'sequence',
        source: '{}',
        compiled: JSON.stringify(compiledRoutine()),
        hash: 'hash',
        input_schema: null,
        output_schema: null,
        limits: '{}',
      })
      .execute(),
  runs: (db, tenant) =>
    db
      .insertInto('runs')
      .values({
        run_id: runId(tenant),
        tenant_id: tenant,
        routine_id: 'greet',
        routine_version: 1,
        process_id: 'main',
        workflow_id: `run/${runId(tenant)}`,
        status: 'running',
        input: '{}',
      })
      .execute(),
  run_steps: (db, tenant) =>
    db
      .insertInto('run_steps')
      .values({
        run_id: runId(tenant),
        step_key: 'start#1',
        tenant_id: tenant,
        element_id: 'start',
        element_type: 'startEvent',
        status: 'completed',
        attempt: 1,
        started_at: new Date(),
        ended_at: new Date(),
        duration_ms: 0,
      })
      .execute(),
  user_tasks: (db, tenant) =>
    db
      .insertInto('user_tasks')
      .values({
        run_id: runId(tenant),
        task_key: 'review#1',
        tenant_id: tenant,
        element_id: 'review',
        candidate_groups: '[]',
        status: 'open',
        variables: '{}',
      })
      .execute(),
  agents: (db, tenant) =>
    db
      .insertInto('agents')
      .values({
        tenant_id: tenant,
        id: 'writer',
        role: 'writer',
        description: 'writes',
        skills: '[]',
        tools: '[]',
        routines: '[]',
      })
      .execute(),
  swarms: (db, tenant) =>
    db
      .insertInto('swarms')
      .values({
        swarm_id: swarmId(tenant),
        tenant_id: tenant,
        workflow_id: `swarm/${swarmId(tenant)}`,
        root_swarm_id: swarmId(tenant),
        depth: 0,
        goal: 'a goal',
        status: 'running',
        usage: '{}',
        team: '[]',
        limits: '{}',
      })
      .execute(),
  swarm_subtasks: (db, tenant) =>
    db
      .insertInto('swarm_subtasks')
      .values({
        swarm_id: swarmId(tenant),
        subtask_id: 'draft',
        position: 0,
        description: 'draft it',
        status: 'todo',
        depends_on: '[]',
      })
      .execute(),
  swarm_transcript: (db, tenant) =>
    db
      .insertInto('swarm_transcript')
      .values({
        swarm_id: swarmId(tenant),
        seq: 0,
        tenant_id: tenant,
        at: new Date(),
        sender: 'user',
        recipient: 'swarm',
        kind: 'message',
        text: 'hello',
      })
      .execute(),
  audit_log: (db, tenant) =>
    db
      .insertInto('audit_log')
      .values({
        tenant_id: tenant,
        tenant_seq: 1,
        actor_kind: 'system',
        actor_id: 'test',
        action: 'runs.start',
        target_kind: 'run',
        target_id: runId(tenant),
        request_id: null,
        outcome: 'ok',
        status_code: null,
        reason: null,
        at: new Date(),
        details: '{}',
        prev_hash: 'prev',
        hash: 'hash',
      })
      .execute(),
  audit_heads: (db, tenant) =>
    db.insertInto('audit_heads').values({ tenant_id: tenant, length: 1, last_hash: 'hash' }).execute(),
  run_scores: (db, tenant) =>
    db
      .insertInto('run_scores')
      .values({
        id: `score-${tenant}`,
        tenant_id: tenant,
        run_id: runId(tenant),
        routine_id: 'greet',
        routine_version: 1,
        source: 'feedback',
        name: 'feedback',
        score: 1,
        reason: null,
        given_by: 'test',
        details: null,
      })
      .execute(),
  datasets: (db, tenant) =>
    db
      .insertInto('datasets')
      .values({ tenant_id: tenant, id: 'cases', description: null, routine_id: 'greet', latest_version: 1 })
      .execute(),
  dataset_versions: (db, tenant) =>
    db
      .insertInto('dataset_versions')
      .values({
        tenant_id: tenant,
        dataset_id: 'cases',
        version: 1,
        origin: JSON.stringify({ kind: 'manual' }),
        case_count: 1,
        created_by: 'test',
      })
      .execute(),
  dataset_cases: (db, tenant) =>
    db
      .insertInto('dataset_cases')
      .values({
        tenant_id: tenant,
        dataset_id: 'cases',
        version: 1,
        ordinal: 0,
        input: '{}',
        expected: null,
        tags: '[]',
        split: null,
        source_run_id: null,
      })
      .execute(),
  eval_runs: (db, tenant) =>
    db
      .insertInto('eval_runs')
      .values({
        eval_id: `eval-${tenant}`,
        tenant_id: tenant,
        routine_id: 'greet',
        routine_version: 1,
        dataset_id: 'cases',
        dataset_version: 1,
        tool_policy: 'replay',
        status: 'completed',
        score: 1,
        case_count: 1,
        passed_count: 1,
        usage: null,
        latency_p50_ms: null,
        latency_p95_ms: null,
        error: null,
        started_by: 'test',
        ended_at: null,
      })
      .execute(),
  eval_cases: (db, tenant) =>
    db
      .insertInto('eval_cases')
      .values({
        eval_id: `eval-${tenant}`,
        ordinal: 0,
        tenant_id: tenant,
        run_id: null,
        input: '{}',
        expected: null,
        output: null,
        score: 1,
        passed: true,
        reasons: '[]',
        latency_ms: null,
        usage: null,
        error: null,
      })
      .execute(),
  knowledge: (db, tenant) =>
    db
      .insertInto('knowledge')
      .values({
        tenant_id: tenant,
        id: 'document:notes#0',
        kind: 'document',
        source_id: 'notes',
        chunk: 0,
        title: 'Notes',
        content: `notes of ${tenant}`,
        metadata: '{}',
        content_hash: 'hash',
        embedder: 'lexical-hash-v1',
        embedding: `[${new Array(2000)
          .fill(0)
          .map((_, i) => (i === 0 ? 1 : 0))
          .join(',')}]`,
      })
      .execute(),
  proposals: (db, tenant) =>
    db
      .insertInto('proposals')
      .values({
        id: `improve/${tenant}/greet/1/v2`,
        tenant_id: tenant,
        routine_id: 'greet',
        cycle_id: `improve/${tenant}/greet/1`,
        candidate_version: 2,
        baseline_version: 1,
        optimizer: 'modelSelection',
        change: 'a cheaper model',
        decision: 'pending',
        why: 'better',
        scores: JSON.stringify({}),
      })
      .execute(),
};

export const tenantTables = Object.keys(tenantRowWriters) as (keyof Database)[];

/** Writes one row of every table for `tenant`. */
export async function writeTenantRows(db: Kysely<Database>, tenant: string): Promise<void> {
  for (const table of tenantTables) await tenantRowWriters[table](db, tenant);
}

/** The tenant a row of `table` belongs to: its tenant_id, a tenant's own id, or a subtask's swarm's. */
export function rowTenant(table: keyof Database, row: Record<string, unknown>): unknown {
  if (table === 'tenants') return row.id;
  if (table === 'swarm_subtasks') return String(row.swarm_id).replace(/^swarm-/, '');
  return row.tenant_id;
}

const runId = (tenant: string) => `run-${tenant}`;
const swarmId = (tenant: string) => `swarm-${tenant}`;
