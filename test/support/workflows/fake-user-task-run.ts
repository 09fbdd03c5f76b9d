import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../../activities/index.ts';
import type { CompleteUserTaskRequest } from '../../../schema/user-task.ts';
import { completeUserTaskUpdate, resolveIncidentUpdate } from '../../../workflows/definitions.ts';

const readModel = proxyActivities<SwarmflowActivities>({ startToCloseTimeout: '10 seconds' });

export interface FakeUserTaskRunInput {
  runId: string;
  tenantId: string;
  tasks: { elementId: string; taskKey: string }[];
  /** Whether it starts parked on an incident. */
  incident: boolean;
}

/** The run's side of the user task and incident updates, for the SDK and CLI tests. */
export async function fakeUserTaskRunWorkflow(
  input: FakeUserTaskRunInput,
): Promise<CompleteUserTaskRequest[]> {
  const open = new Map(input.tasks.map((task) => [task.taskKey, task]));
  const completions: CompleteUserTaskRequest[] = [];
  let incident = input.incident;
  setHandler(
    completeUserTaskUpdate,
    async (request) => {
      const task = findOpen(open, request);
      open.delete(task.taskKey);
      completions.push(request);
      await readModel.recordUserTaskClosed({
        runId: input.runId,
        taskKey: task.taskKey,
        status: 'completed',
      });
      return { taskKey: task.taskKey };
    },
    { validator: (request) => void findOpen(open, request) },
  );
  setHandler(
    resolveIncidentUpdate,
    (_request) => {
      incident = false;
    },
    {
      validator: (_request) => {
        if (!incident) throw new Error('the run has no incident');
      },
    },
  );
  for (const task of input.tasks) {
    await readModel.recordUserTaskOpened({ ...task, runId: input.runId, tenantId: input.tenantId });
  }
  await condition(() => open.size === 0 && !incident);
  await condition(allHandlersFinished);
  return completions;
}

function findOpen(
  open: Map<string, { elementId: string; taskKey: string }>,
  request: CompleteUserTaskRequest,
): { elementId: string; taskKey: string } {
  const task = [...open.values()].find(
    (t) =>
      t.elementId === request.elementId && (request.taskKey === undefined || t.taskKey === request.taskKey),
  );
  if (!task) throw new Error(`no open user task for element "${request.elementId}"`);
  return task;
}
