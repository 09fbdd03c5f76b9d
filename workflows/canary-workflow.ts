import { defineQuery, setHandler } from '@temporalio/workflow';
import type { CanaryReport } from '../schema/improvement-cycle.ts';
import { type CanaryRequest, releaseByCanary } from './improvement/canary-release.ts';

/** What the canary's last look found. */
export const canaryStateQuery = defineQuery<{ last: string }>('canaryState');

/**
 * A canary release started by a person (`canary/<tenant>/<routine>`): a share of new runs start
 * the candidate while it is watched and judged as in an improvement cycle; it becomes active,
 * or is rolled back and retired.
 */
export async function canaryWorkflow(request: CanaryRequest): Promise<CanaryReport> {
  const state = { last: 'started' };
  setHandler(canaryStateQuery, () => state);
  return releaseByCanary(request, (last) => {
    state.last = last;
  });
}
