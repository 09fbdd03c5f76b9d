import { z } from 'zod';
import { OptimizerName } from '../optimizer-name.ts';
import { Proposal, ProposalDecision } from '../proposal.ts';
import { RoutineId } from '../routine.ts';
import { defineOperation } from './operation.ts';

/**
 * The REST operations of the improvement loop. Scheduling and running cycles, promoting and rolling
 * back take `routines:write` (they change which version runs); reading proposals `routines:read`;
 * deciding a proposal `approvals:decide`, and the cycle checks the caller holds an approver role.
 */

const routineParams = z.strictObject({ routineId: RoutineId });
const cycleOverrides = {
  autoPromote: z.boolean().optional(),
  budgetCredits: z.number().positive().optional(),
  optimizers: z.array(OptimizerName).min(1).optional(),
};

const LiveRecord = z.object({
  version: z.number().int(),
  ended: z.number().int(),
  failed: z.number().int(),
  score: z.number().nullable(),
  scored: z.number().int(),
});

export const CycleCandidateSchema = z.object({
  version: z.number().int(),
  optimizer: OptimizerName,
  change: z.string(),
  score: z.number().nullable(),
  costPerRun: z.number().nullable(),
  decision: z.enum(['promoted', 'pending', 'approved', 'rejected', 'expired', 'skipped', 'rolled_back']),
  why: z.string(),
  evalId: z.string().nullable(),
  proposalId: z.string().nullable(),
});

export const ImprovementCycleResultSchema = z.object({
  cycleId: z.string(),
  routineId: z.string(),
  baseline: z.object({
    version: z.number().int(),
    score: z.number().nullable(),
    costPerRun: z.number().nullable(),
    evalId: z.string().nullable(),
  }),
  candidates: z.array(CycleCandidateSchema),
  promoted: z.number().int().nullable(),
  spentCredits: z.number(),
  budgetCredits: z.number(),
  metricCalls: z.number().int().optional(),
  stopped: z.string().nullable(),
  canary: z
    .object({
      version: z.number().int(),
      percent: z.number().int(),
      outcome: z.enum(['promoted', 'rolled_back', 'inconclusive', 'ended']),
      why: z.string(),
      baseline: LiveRecord,
      canary: LiveRecord,
    })
    .optional(),
});

/** A cycle parked on its pending proposal, or releasing its candidate as a canary (schema/cycle-outcome.ts). */
const cycleSoFar = {
  cycleId: z.string(),
  routineId: z.string(),
  baseline: ImprovementCycleResultSchema.shape.baseline,
  candidates: z.array(CycleCandidateSchema),
  promoted: z.null(),
};
const ParkedCycleSchema = z.union([
  z.object({
    ...cycleSoFar,
    pending: z.object({ proposalId: z.string(), candidateVersion: z.number().int() }),
  }),
  z.object({
    ...cycleSoFar,
    canary: z.object({ version: z.number().int(), percent: z.number().int(), last: z.string() }),
  }),
]);

const Activation = z.object({
  routineId: z.string(),
  previous: z.number().int().nullable(),
  active: z.number().int(),
});

const DecisionBody = z.strictObject({ reason: z.string().min(1).max(2000).optional() });

export const improvementOperations = {
  scheduleImprovement: defineOperation({
    method: 'PUT',
    path: '/v1/routines/:routineId/improvement/schedule',
    family: 'routines',
    permission: 'routines:write',
    summary:
      "Create or replace the routine's Temporal Schedule improve/<tenant>/<routine>: a cycle every interval or on a cron expression, overlap skip",
    params: routineParams,
    body: z.strictObject({
      every: z
        .string()
        .regex(/^\d+(ms|s|m|h|d)$/, 'give an interval such as 1d, 12h or 30m')
        .optional(),
      cron: z.string().min(1).optional(),
      ...cycleOverrides,
    }),
    response: z.object({
      scheduleId: z.string(),
      routineId: z.string(),
      every: z.string().nullable(),
      cron: z.string().nullable(),
    }),
    status: 200,
    audit: { action: 'routines.improvement.schedule', target: 'routine' },
  }),
  unscheduleImprovement: defineOperation({
    method: 'DELETE',
    path: '/v1/routines/:routineId/improvement/schedule',
    family: 'routines',
    permission: 'routines:write',
    summary:
      "Delete the routine's improvement schedule (cycles going on go on); answers whether there was one",
    params: routineParams,
    response: z.object({ routineId: z.string(), deleted: z.boolean() }),
    status: 200,
    audit: { action: 'routines.improvement.unschedule', target: 'routine' },
  }),
  getImprovementCycle: defineOperation({
    method: 'GET',
    path: '/v1/improvement/cycles/:cycleId',
    family: 'routines',
    permission: 'routines:read',
    summary:
      'Where a cycle is (running, waiting for a decision on its proposal, releasing a canary, completed or failed), with what it decided so far or its result',
    params: z.strictObject({ cycleId: z.string().min(1) }),
    response: z.object({
      cycleId: z.string(),
      status: z.enum(['running', 'waiting', 'canary', 'completed', 'failed']),
      result: ImprovementCycleResultSchema.nullable(),
      cycle: ParkedCycleSchema.nullable(),
      error: z.string().nullable(),
    }),
    status: 200,
  }),
  startImprovementCycle: defineOperation({
    method: 'POST',
    path: '/v1/routines/:routineId/improvement/cycles',
    family: 'routines',
    permission: 'routines:write',
    summary: 'Start one improvement cycle now',
    params: routineParams,
    body: z.strictObject({
      cycle: z
        .string()
        .regex(/^[\w.-]{1,60}$/)
        .optional(),
      ...cycleOverrides,
    }),
    response: z.object({ cycleId: z.string(), routineId: z.string() }),
    status: 202,
    audit: { action: 'routines.improvement.run', target: 'routine' },
  }),
  listProposals: defineOperation({
    method: 'GET',
    path: '/v1/proposals',
    family: 'routines',
    permission: 'routines:read',
    summary: "The tenant's improvement proposals, newest first",
    query: z.object({
      routineId: RoutineId.optional(),
      decision: ProposalDecision.optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
    response: z.object({ proposals: z.array(Proposal) }),
    status: 200,
  }),
  approveProposal: defineOperation({
    method: 'POST',
    path: '/v1/proposals/:proposalId/approve',
    family: 'approvals',
    permission: 'approvals:decide',
    summary: 'Approve a pending proposal (by proposal or cycle id): its cycle promotes the candidate',
    params: z.strictObject({ proposalId: z.string().min(1) }),
    body: DecisionBody,
    response: Proposal,
    status: 200,
    audit: { action: 'proposals.approve', target: 'proposal' },
  }),
  rejectProposal: defineOperation({
    method: 'POST',
    path: '/v1/proposals/:proposalId/reject',
    family: 'approvals',
    permission: 'approvals:decide',
    summary: 'Reject a pending proposal: its candidate is retired',
    params: z.strictObject({ proposalId: z.string().min(1) }),
    body: DecisionBody,
    response: Proposal,
    status: 200,
    audit: { action: 'proposals.reject', target: 'proposal' },
  }),
  promoteVersion: defineOperation({
    method: 'POST',
    path: '/v1/routines/:routineId/versions/:version/promote',
    family: 'routines',
    permission: 'routines:write',
    summary: 'Make a version the active one; the one before is retired',
    params: z.strictObject({ routineId: RoutineId, version: z.coerce.number().int().positive() }),
    response: Activation,
    status: 200,
    audit: { action: 'routines.promote', target: 'routine' },
  }),
  rollbackRoutine: defineOperation({
    method: 'POST',
    path: '/v1/routines/:routineId/rollback',
    family: 'routines',
    permission: 'routines:write',
    summary: 'Make the version active before the current one active again',
    params: routineParams,
    response: Activation,
    status: 200,
    audit: { action: 'routines.rollback', target: 'routine' },
  }),
} as const;
