import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, SwarmSubtaskTable, SwarmTranscriptTable } from '../../schema/db/tables.ts';
import type { JsonValue } from '../../schema/json.ts';
import {
  Subtask,
  type SwarmFilter,
  type SwarmRecord,
  SwarmState,
  SwarmSummary,
  TranscriptEntry,
  type TranscriptPage,
} from '../../schema/swarm.ts';
import { indexBestEffort } from '../knowledge/best-effort.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';

/**
 * The read models of swarms in PostgreSQL: one row per swarm, its subtasks, and its whole
 * transcript, for listing swarms and reading them after their workflows are gone.
 */

export type { SwarmFilter, TranscriptPage };

const defaultListLimit = 100;
const defaultTranscriptLimit = 200;
/** How much of the transcript a state read from the read model carries, as the live state does. */
const recentTranscriptEntries = 50;

/** Writes the swarm's row and its subtasks as the record has them (idempotent); subtasks it no longer has go. */
export async function recordSwarm(db: Kysely<Database>, record: SwarmRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await upsertSwarmRow(trx, record);
    await replaceSubtasks(trx, record);
  });
}

/** Adds an ended swarm's goal and result to the knowledge base, best effort (see indexBestEffort). */
export function indexSwarmResult(knowledge: KnowledgeBase, record: SwarmRecord): Promise<void> {
  return indexBestEffort(`the result of swarm ${record.swarmId}`, () =>
    knowledge.indexSwarmResult({
      tenantId: record.tenantId,
      swarmId: record.swarmId,
      goal: record.goal,
      status: record.status,
      ...(record.result === undefined ? {} : { result: record.result as JsonValue }),
    }),
  );
}

async function upsertSwarmRow(trx: Transaction<Database>, record: SwarmRecord): Promise<void> {
  const changing = {
    goal: record.goal,
    status: record.status,
    status_reason: record.statusReason ?? null,
    result: record.result === undefined ? null : JSON.stringify(record.result),
    usage: JSON.stringify(record.usage),
    team: JSON.stringify(record.team),
    limits: JSON.stringify(record.limits),
  };
  await trx
    .insertInto('swarms')
    .values({
      swarm_id: record.swarmId,
      tenant_id: record.tenantId,
      workflow_id: record.workflowId,
      parent_swarm_id: record.lineage.parentSwarmId ?? null,
      root_swarm_id: record.lineage.rootSwarmId,
      depth: record.lineage.depth,
      ...changing,
      ended_at: record.ended ? sql<Date>`now()` : null,
    })
    .onConflict((conflict) =>
      conflict.column('swarm_id').doUpdateSet({
        ...changing,
        updated_at: sql<Date>`now()`,
        ended_at: record.ended ? sql<Date>`coalesce(swarms.ended_at, now())` : null,
      }),
    )
    .execute();
}

async function replaceSubtasks(trx: Transaction<Database>, record: SwarmRecord): Promise<void> {
  const ids = record.subtasks.map((subtask) => subtask.id);
  let stale = trx.deleteFrom('swarm_subtasks').where('swarm_id', '=', record.swarmId);
  if (ids.length > 0) stale = stale.where('subtask_id', 'not in', ids);
  await stale.execute();
  if (ids.length === 0) return;
  await trx
    .insertInto('swarm_subtasks')
    .values(record.subtasks.map((subtask, position) => subtaskRow(record.swarmId, subtask, position)))
    .onConflict((conflict) =>
      conflict.columns(['swarm_id', 'subtask_id']).doUpdateSet((eb) => ({
        position: eb.ref('excluded.position'),
        description: eb.ref('excluded.description'),
        status: eb.ref('excluded.status'),
        assignee: eb.ref('excluded.assignee'),
        depends_on: eb.ref('excluded.depends_on'),
        routine_id: eb.ref('excluded.routine_id'),
        input: eb.ref('excluded.input'),
        sub_swarm: eb.ref('excluded.sub_swarm'),
        run_id: eb.ref('excluded.run_id'),
        child_swarm_id: eb.ref('excluded.child_swarm_id'),
        result: eb.ref('excluded.result'),
        error: eb.ref('excluded.error'),
      })),
    )
    .execute();
}

function subtaskRow(swarmId: string, subtask: Subtask, position: number) {
  return {
    swarm_id: swarmId,
    subtask_id: subtask.id,
    position,
    description: subtask.description,
    status: subtask.status,
    assignee: subtask.assignee ?? null,
    depends_on: JSON.stringify(subtask.dependsOn),
    routine_id: subtask.routineId ?? null,
    input: subtask.input === undefined ? null : JSON.stringify(subtask.input),
    sub_swarm: subtask.subSwarm === undefined ? null : JSON.stringify(subtask.subSwarm),
    run_id: subtask.runId ?? null,
    child_swarm_id: subtask.swarmId ?? null,
    result: subtask.result === undefined ? null : JSON.stringify(subtask.result),
    error: subtask.error ?? null,
  };
}

/** Stores transcript entries; one already stored (same swarm and seq) stays as it is. */
export async function appendTranscript(
  db: Kysely<Database>,
  request: { tenantId: string; swarmId: string; entries: TranscriptEntry[] },
): Promise<void> {
  if (request.entries.length === 0) return;
  await db
    .insertInto('swarm_transcript')
    .values(
      request.entries.map((entry) => ({
        swarm_id: request.swarmId,
        seq: entry.seq,
        tenant_id: request.tenantId,
        at: new Date(entry.at),
        sender: entry.from,
        recipient: entry.to,
        kind: entry.kind,
        text: entry.text,
      })),
    )
    .onConflict((conflict) => conflict.columns(['swarm_id', 'seq']).doNothing())
    .execute();
}

/** A page of the swarm's transcript, oldest first. */
export async function readTranscript(
  db: Kysely<Database>,
  swarmId: string,
  page: TranscriptPage = {},
): Promise<TranscriptEntry[]> {
  const rows = await db
    .selectFrom('swarm_transcript')
    .selectAll()
    .where('swarm_id', '=', swarmId)
    .where('seq', '>', page.afterSeq ?? -1)
    .orderBy('seq')
    .limit(page.limit ?? defaultTranscriptLimit)
    .execute();
  return rows.map(toTranscriptEntry);
}

/**
 * The swarm's state as the read model keeps it, or undefined when it has no such swarm. It
 * keeps no blackboard, children or pending approvals, and the last 50 transcript entries.
 */
export async function getSwarmState(db: Kysely<Database>, swarmId: string): Promise<SwarmState | undefined> {
  const row = await db.selectFrom('swarms').selectAll().where('swarm_id', '=', swarmId).executeTakeFirst();
  if (!row) return undefined;
  const [subtasks, transcript] = await Promise.all([
    listSubtasks(db, swarmId),
    recentTranscript(db, swarmId),
  ]);
  return SwarmState.parse({
    swarmId: row.swarm_id,
    tenantId: row.tenant_id,
    status: row.status,
    ...(row.status_reason === null ? {} : { statusReason: row.status_reason }),
    goal: row.goal,
    team: row.team,
    subtasks,
    blackboard: {},
    transcript,
    children: [],
    usage: row.usage,
    limits: row.limits,
    lineage: {
      rootSwarmId: row.root_swarm_id,
      ...(row.parent_swarm_id === null ? {} : { parentSwarmId: row.parent_swarm_id }),
      depth: row.depth,
    },
    pendingApprovals: [],
    currentActivity: '',
    ...(row.result === null ? {} : { result: row.result }),
  });
}

/** The tenant's swarms, most recent first. */
export async function listSwarms(
  db: Kysely<Database>,
  tenantId: string,
  filter: SwarmFilter = {},
): Promise<SwarmSummary[]> {
  let query = db
    .selectFrom('swarms')
    .select(['swarm_id', 'parent_swarm_id', 'goal', 'status', 'usage', 'started_at', 'ended_at'])
    .select((eb) => {
      const subtasks = () =>
        eb
          .selectFrom('swarm_subtasks as s')
          .select((sub) => sub.fn.countAll<number>().as('count'))
          .whereRef('s.swarm_id', '=', 'swarms.swarm_id');
      return [subtasks().where('s.status', '=', 'done').as('subtasks_done'), subtasks().as('subtasks_total')];
    })
    .where('tenant_id', '=', tenantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.parentSwarmId === null) query = query.where('parent_swarm_id', 'is', null);
  else if (filter.parentSwarmId !== undefined)
    query = query.where('parent_swarm_id', '=', filter.parentSwarmId);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('swarm_id')
    .limit(filter.limit ?? defaultListLimit)
    .execute();
  return rows.map((row) =>
    SwarmSummary.parse({
      swarmId: row.swarm_id,
      parentSwarmId: row.parent_swarm_id,
      goal: row.goal,
      status: row.status,
      subtasksDone: row.subtasks_done ?? 0,
      subtasksTotal: row.subtasks_total ?? 0,
      usage: row.usage,
      startedAt: row.started_at.toISOString(),
      endedAt: row.ended_at?.toISOString() ?? null,
    }),
  );
}

async function listSubtasks(db: Kysely<Database>, swarmId: string): Promise<Subtask[]> {
  const rows = await db
    .selectFrom('swarm_subtasks')
    .selectAll()
    .where('swarm_id', '=', swarmId)
    .orderBy('position')
    .execute();
  return rows.map(toSubtask);
}

/** The last entries of the transcript, oldest first. */
async function recentTranscript(db: Kysely<Database>, swarmId: string): Promise<TranscriptEntry[]> {
  const rows = await db
    .selectFrom('swarm_transcript')
    .selectAll()
    .where('swarm_id', '=', swarmId)
    .orderBy('seq', 'desc')
    .limit(recentTranscriptEntries)
    .execute();
  return rows.reverse().map(toTranscriptEntry);
}

function toSubtask(row: Selectable<SwarmSubtaskTable>): Subtask {
  const optional = {
    assignee: row.assignee,
    routineId: row.routine_id,
    input: row.input,
    subSwarm: row.sub_swarm,
    runId: row.run_id,
    swarmId: row.child_swarm_id,
    result: row.result,
    error: row.error,
  };
  return Subtask.parse({
    id: row.subtask_id,
    description: row.description,
    status: row.status,
    dependsOn: row.depends_on,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
  });
}

function toTranscriptEntry(row: Selectable<SwarmTranscriptTable>): TranscriptEntry {
  return TranscriptEntry.parse({
    seq: row.seq,
    at: row.at.toISOString(),
    from: row.sender,
    to: row.recipient,
    kind: row.kind,
    text: row.text,
  });
}
