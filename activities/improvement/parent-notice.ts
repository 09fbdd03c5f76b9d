import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { CYCLE_WAITING_SIGNAL, type CycleWaiting } from '../../schema/cycle-waiting.ts';

/**
 * Signals the parent workflow of a cycle, if it has one (a swarm running the cycle as a subtask),
 * that the cycle's proposal waits for a person. A cycle without a parent (a schedule's, a person's)
 * tells nobody; a parent that has ended is not told either. Other failures throw, so the activity
 * retries: a swarm left unaware would wait for the decision instead of going on.
 */
export async function tellParentTheCycleWaits(temporal: Client, waiting: CycleWaiting): Promise<void> {
  const { parentExecution } = await temporal.workflow.getHandle(waiting.cycleId).describe();
  if (!parentExecution?.workflowId) return;
  try {
    await temporal.workflow
      .getHandle(parentExecution.workflowId, parentExecution.runId || undefined)
      .signal(CYCLE_WAITING_SIGNAL, waiting);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
}
