import type { Client } from '@temporalio/client';
import { SearchAttributes } from '../schema/search-attributes.ts';

/** The ids of a tenant's running runs with tool calls waiting for approval, by their search attribute. */
export async function runsAwaitingApproval(temporal: Client, tenantId: string): Promise<string[]> {
  const query = [
    `WorkflowType = 'runWorkflow'`,
    `ExecutionStatus = 'Running'`,
    `${SearchAttributes.pendingApprovals.name} > 0`,
    `${SearchAttributes.tenant.name} = '${tenantId.replaceAll("'", "''")}'`,
  ].join(' AND ');
  const runIds: string[] = [];
  for await (const execution of temporal.workflow.list({ query })) {
    runIds.push(execution.workflowId.replace(/^run\//, ''));
  }
  return runIds;
}
