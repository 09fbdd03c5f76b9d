import { routineInsights } from '../../activities/insights/routine-insights.ts';
import type { InsightsOperations } from '../../schema/api/insights-operations.ts';
import type { OperationHandlers } from './operation-handlers.ts';

/** The REST API's insights operation, on the database under the caller's tenant's row-level security. */
export const insightsHandlers: OperationHandlers<InsightsOperations> = {
  getRoutineInsights: ({ db, identity }, { params, query }) =>
    routineInsights(
      db,
      identity.tenantId,
      params.routineId,
      query.since ? { since: new Date(query.since) } : {},
    ),
};
