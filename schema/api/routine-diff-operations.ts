import { z } from 'zod';
import { RoutineId } from '../routine.ts';
import { RoutineDiff } from '../routine-diff.ts';
import { defineOperation } from './operation.ts';

/** The REST operation comparing two versions of a routine; it reads routines, so it takes `routines:read`. */
export const routineDiffOperations = {
  getRoutineDiff: defineOperation({
    method: 'GET',
    path: '/v1/routines/:routineId/diff',
    family: 'routines',
    permission: 'routines:read',
    summary:
      'What changed from version `from` to version `to` of a routine: metadata, steps or BPMN elements and flows by id, and a unified diff of the sources',
    params: z.strictObject({ routineId: RoutineId }),
    query: z.strictObject({
      from: z.coerce.number().int().positive().describe('the older version'),
      to: z.coerce.number().int().positive().describe('the newer version'),
    }),
    response: RoutineDiff,
    status: 200,
  }),
} as const;

export type RoutineDiffOperations = typeof routineDiffOperations;
