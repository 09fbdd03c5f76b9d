import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, ProposalTable } from '../../schema/db/tables.ts';
import {
  Proposal,
  type ProposalDecision,
  ProposalFilter,
  type ProposalScores,
} from '../../schema/proposal.ts';
import { processMetrics } from '../metrics/process-metrics.ts';

/** A proposal as a cycle records it: always pending or promoted at first. */
export interface NewProposal {
  tenantId: string;
  routineId: string;
  cycleId: string;
  candidateVersion: number;
  baselineVersion: number;
  optimizer: string;
  change: string;
  decision: 'pending' | 'promoted' | 'rejected';
  why: string;
  scores: ProposalScores;
  decidedBy?: string;
}

export function proposalId(cycleId: string, candidateVersion: number): string {
  return `${cycleId}/v${candidateVersion}`;
}

/** Records a proposal; a retried write of the same cycle's candidate changes nothing. */
export async function recordProposal(db: Kysely<Database>, proposal: NewProposal): Promise<string> {
  const id = proposalId(proposal.cycleId, proposal.candidateVersion);
  const decided = proposal.decision !== 'pending';
  const inserted = await db
    .insertInto('proposals')
    .values({
      id,
      tenant_id: proposal.tenantId,
      routine_id: proposal.routineId,
      cycle_id: proposal.cycleId,
      candidate_version: proposal.candidateVersion,
      baseline_version: proposal.baselineVersion,
      optimizer: proposal.optimizer,
      change: proposal.change,
      decision: proposal.decision,
      why: proposal.why,
      scores: JSON.stringify(proposal.scores),
      decided_by: proposal.decidedBy ?? null,
      decided_at: decided ? new Date() : null,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  if (inserted.length > 0) processMetrics().improvementDecisions.inc({ decision: proposal.decision });
  return id;
}

/** Ends a pending proposal (a decision already taken stays). Returns whether it was pending. */
export async function recordProposalDecision(
  db: Kysely<Database>,
  request: {
    tenantId: string;
    id: string;
    decision: Exclude<ProposalDecision, 'pending'>;
    by?: string;
    reason?: string;
  },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('proposals')
    .set({
      decision: request.decision,
      decided_by: request.by ?? null,
      reason: request.reason ?? null,
      decided_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', request.tenantId)
    .where('id', '=', request.id)
    .where('decision', '=', 'pending')
    .executeTakeFirst();
  if (numUpdatedRows === 1n) processMetrics().improvementDecisions.inc({ decision: request.decision });
  return numUpdatedRows === 1n;
}

/**
 * Marks a promoted or approved proposal `rolled_back` when its canary release fell behind; `why`
 * becomes its reason. Returns whether it was promoted or approved.
 */
export async function rollBackProposal(
  db: Kysely<Database>,
  request: { tenantId: string; id: string; why: string },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('proposals')
    .set({ decision: 'rolled_back', reason: request.why, decided_at: sql<Date>`now()` })
    .where('tenant_id', '=', request.tenantId)
    .where('id', '=', request.id)
    .where('decision', 'in', ['promoted', 'approved'])
    .executeTakeFirst();
  if (numUpdatedRows === 1n) processMetrics().improvementDecisions.inc({ decision: 'rolled_back' });
  return numUpdatedRows === 1n;
}

/** The tenant's proposals, newest first. */
export async function listProposals(
  db: Kysely<Database>,
  tenantId: string,
  filter: ProposalFilter = {},
): Promise<Proposal[]> {
  const { routineId, decision, limit } = ProposalFilter.parse(filter);
  let query = db.selectFrom('proposals').selectAll().where('tenant_id', '=', tenantId);
  if (routineId !== undefined) query = query.where('routine_id', '=', routineId);
  if (decision !== undefined) query = query.where('decision', '=', decision);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(toProposal);
}

/** The proposals one cycle recorded (its tenant's only), by candidate version. */
export async function cycleProposals(
  db: Kysely<Database>,
  tenantId: string,
  cycleId: string,
): Promise<Proposal[]> {
  const rows = await db
    .selectFrom('proposals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('cycle_id', '=', cycleId)
    .orderBy('candidate_version')
    .execute();
  return rows.map(toProposal);
}

/** A proposal by its id, or the one proposal of a cycle by the cycle's id; undefined when none. */
export async function findProposal(
  db: Kysely<Database>,
  tenantId: string,
  idOrCycle: string,
): Promise<Proposal | undefined> {
  const rows = await db
    .selectFrom('proposals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', '=', idOrCycle), eb('cycle_id', '=', idOrCycle)]))
    .orderBy('created_at')
    .execute();
  const pending = rows.find((row) => row.decision === 'pending');
  const row = pending ?? rows[0];
  return row ? toProposal(row) : undefined;
}

/** Every proposal of the tenant, oldest first (for indexing them all into the knowledge base). */
export async function allProposals(db: Kysely<Database>, tenantId: string): Promise<Proposal[]> {
  const rows = await db
    .selectFrom('proposals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toProposal);
}

function toProposal(row: Selectable<ProposalTable>): Proposal {
  return Proposal.parse({
    id: row.id,
    tenantId: row.tenant_id,
    routineId: row.routine_id,
    cycleId: row.cycle_id,
    candidateVersion: row.candidate_version,
    baselineVersion: row.baseline_version,
    optimizer: row.optimizer,
    change: row.change,
    decision: row.decision,
    why: row.why,
    scores: row.scores,
    decidedBy: row.decided_by,
    reason: row.reason,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  });
}
