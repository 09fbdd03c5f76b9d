import { z } from 'zod';
import { EvalComparison, EvalDetails, EvalId, EvalSummary, StartEvalBody } from '../eval-run.ts';
import { RoutineId } from '../routine.ts';
import { defineOperation } from './operation.ts';

/**
 * Eval runs over REST. An eval is runs of a routine, so starting one takes `runs:start` and
 * reading evals `runs:read`, as for runs.
 */
export const evalOperations = {
  startEval: defineOperation({
    method: 'POST',
    path: '/v1/evals',
    family: 'runs',
    permission: 'runs:start',
    summary:
      'Start an eval: every case a run of the routine version, scored and stored; poll GET /v1/evals/:evalId',
    body: StartEvalBody,
    response: z.object({ evalId: EvalId, workflowId: z.string(), routineId: RoutineId, version: z.int() }),
    status: 201,
    audit: { action: 'evals.start', target: 'eval' },
  }),
  listEvals: defineOperation({
    method: 'GET',
    path: '/v1/evals',
    family: 'runs',
    permission: 'runs:read',
    summary: "The tenant's evals, newest first",
    query: z.strictObject({
      routineId: RoutineId.optional(),
      version: z.coerce.number().int().positive().optional(),
      datasetId: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional().describe('50 when omitted'),
    }),
    response: z.object({ evals: z.array(EvalSummary) }),
    status: 200,
  }),
  compareEvals: defineOperation({
    method: 'GET',
    path: '/v1/evals/compare',
    family: 'runs',
    permission: 'runs:read',
    summary:
      "Version B's mean score minus A's, from their latest completed evals, with a 95% confidence interval",
    query: z.strictObject({
      routineId: RoutineId,
      versionA: z.coerce.number().int().positive(),
      versionB: z.coerce.number().int().positive(),
      datasetId: z.string().min(1).optional(),
    }),
    response: EvalComparison,
    status: 200,
  }),
  getEval: defineOperation({
    method: 'GET',
    path: '/v1/evals/:evalId',
    family: 'runs',
    permission: 'runs:read',
    summary: 'An eval with its cases (those recorded so far, while it runs)',
    params: z.strictObject({ evalId: EvalId }),
    response: EvalDetails,
    status: 200,
  }),
} as const;
