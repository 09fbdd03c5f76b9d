import { WorkflowNotFoundError } from '@temporalio/client';
import { liveScoringWorkflowId } from '../../../activities/evaluation/live-scoring.ts';
import type { SwarmflowClient } from '../../../client/sdk.ts';
import { bpmnProcess, flows, scriptTask } from '../../support/bpmn.ts';

/** A routine doubling `amount` into `doubled`, whose output schema also requires `note`, which it never sets. */
export const doubling = (id: string) => ({
  id,
  name: 'Double',
  outputSchema: { type: 'object', required: ['doubled', 'note'] },
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" />${scriptTask('double', 'amount * 2', 'doubled')}<bpmn:endEvent id="end" />
       ${flows(['start', 'double'], ['double', 'end'])}`,
      id.replaceAll('-', '_'),
    ),
  },
});

/** A routine waiting at the user task `review`. */
export const reviewing = (id: string) => ({
  id,
  name: 'Review',
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
       ${flows(['start', 'review'], ['review', 'end'])}`,
      id.replaceAll('-', '_'),
    ),
  },
});

/** Whether the run's live scoring workflow was started. */
export async function liveScoringStarted(client: SwarmflowClient, runId: string): Promise<boolean> {
  try {
    await client.temporal.workflow.getHandle(liveScoringWorkflowId(runId)).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
