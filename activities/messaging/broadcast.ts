import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { z } from 'zod';
import type { BroadcastSignalRequest } from '../../schema/messages.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import { deliverSignalSignal } from '../../workflows/definitions.ts';

type Broadcast = z.output<typeof BroadcastSignalRequest>;

const signalsInFlight = 50;

/**
 * Signals every running workflow that waits for the BPMN signal (found by its
 * SwarmflowWaitingSignals search attribute, of one tenant when given); returns how many it reached.
 */
export async function broadcastToWaitingRuns(
  temporal: Client,
  broadcast: Broadcast,
  tenantId?: string,
): Promise<number> {
  const receivers = await waitingWorkflowIds(temporal, broadcast.name, tenantId);
  let reached = 0;
  for (let start = 0; start < receivers.length; start += signalsInFlight) {
    const batch = receivers.slice(start, start + signalsInFlight);
    const results = await Promise.all(batch.map((id) => signalIfRunning(temporal, id, broadcast)));
    reached += results.filter(Boolean).length;
  }
  return reached;
}

async function waitingWorkflowIds(temporal: Client, name: string, tenantId?: string): Promise<string[]> {
  const conditions = [
    `${SearchAttributes.waitingSignals.name} = ${quote(name)}`,
    `ExecutionStatus = 'Running'`,
  ];
  if (tenantId !== undefined) conditions.push(`${SearchAttributes.tenant.name} = ${quote(tenantId)}`);
  const ids: string[] = [];
  for await (const execution of temporal.workflow.list({ query: conditions.join(' AND ') })) {
    ids.push(execution.workflowId);
  }
  return ids;
}

/** A run that ended since it was listed is not reached. */
async function signalIfRunning(temporal: Client, workflowId: string, broadcast: Broadcast): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).signal(deliverSignalSignal, broadcast);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** A string literal of Temporal's visibility query language: quotes doubled, backslashes as they are. */
function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
