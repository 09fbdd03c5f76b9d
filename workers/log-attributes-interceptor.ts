import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Swarmflow ids an activity's input carries, for its log lines. */
export interface ActivityLogIds {
  tenant?: string;
  swarmId?: string;
}

const tenantKeys = ['tenantId', 'tenant'] as const;

/**
 * The tenant (and swarm) an activity works for, as its first argument tells: `tenantId` or
 * `tenant` on it, or on an object one level down (`routine.tenantId`, `scope.tenantId`...), and
 * `swarmId` likewise. Activities take no single shape of input, so this looks, and finds nothing
 * rather than guessing.
 */
export function activityLogIds(args: readonly unknown[]): ActivityLogIds {
  const first = args[0];
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return {};
  const levels = [first as Record<string, unknown>, ...nested(first as Record<string, unknown>)];
  const ids: ActivityLogIds = {};
  for (const level of levels) {
    for (const key of tenantKeys)
      if (ids.tenant === undefined && typeof level[key] === 'string') ids.tenant = level[key] as string;
    if (ids.swarmId === undefined && typeof level.swarmId === 'string') ids.swarmId = level.swarmId;
  }
  return ids;
}

function nested(object: Record<string, unknown>): Record<string, unknown>[] {
  return Object.values(object).filter(
    (value): value is Record<string, unknown> =>
      value !== null && typeof value === 'object' && !Array.isArray(value),
  );
}

/**
 * Adds the tenant and swarm an activity works for (activityLogIds) to its log lines: the SDK's
 * ("Activity failed") and its own (`Context.current().log`). The workflow id on every line tells
 * the run or swarm.
 */
export const logAttributesInterceptor: ActivityInterceptorsFactory = () => {
  let ids: ActivityLogIds = {};
  return {
    inbound: {
      execute(input, next) {
        ids = activityLogIds(input.args);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next({ ...input, ...ids });
      },
    },
  };
};
