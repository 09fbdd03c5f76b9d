import type { RoutineDiffOperations } from '../../schema/api/routine-diff-operations.ts';
import type { OperationHandlers } from './operation-handlers.ts';

/** The REST API's routine diff, through the caller's tenant-scoped client. */
export const routineDiffHandlers: OperationHandlers<RoutineDiffOperations> = {
  getRoutineDiff: ({ client }, { params, query }) =>
    client.routineDiff(params.routineId, query.from, query.to),
};
