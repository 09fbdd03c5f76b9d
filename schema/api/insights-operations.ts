import { z } from 'zod';
import { InsightsReport } from '../insights.ts';
import { RoutineId } from '../routine.ts';
import { defineOperation } from './operation.ts';

/** The REST operation on a routine's insights; it reads runs, so it takes `runs:read`. */
export const insightsOperations = {
  getRoutineInsights: defineOperation({
    method: 'GET',
    path: '/v1/routines/:routineId/insights',
    family: 'routines',
    permission: 'runs:read',
    summary:
      "What a routine's recorded runs tell: failure clusters, cost and latency outliers, LLM steps that could be deterministic, routines to combine",
    params: z.strictObject({ routineId: RoutineId }),
    query: z.strictObject({
      since: z.iso.datetime({ offset: true }).optional().describe('only runs started at or after this time'),
    }),
    response: InsightsReport,
    status: 200,
  }),
} as const;

export type InsightsOperations = typeof insightsOperations;
