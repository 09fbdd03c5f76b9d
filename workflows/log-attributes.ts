import { type WorkflowInterceptorsFactory, workflowInfo } from '@temporalio/workflow';
import { SearchAttributes } from '../schema/search-attributes.ts';

/**
 * The log attributes Swarmflow adds to every workflow log line (`log` from @temporalio/workflow,
 * and the SDK's own "Workflow started"/"Workflow failed" lines): the tenant, from the workflow's
 * `SwarmflowTenant` search attribute. The workflow id (`run/<id>`, `swarm/<id>`) tells the rest,
 * which the worker's logger reads off it. Reads the workflow's info only: no command, no state.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      getLogAttributes(input, next) {
        const tenant = workflowInfo().typedSearchAttributes.get(SearchAttributes.tenant);
        return next(tenant === undefined ? input : { ...input, tenant });
      },
    },
  ],
});
