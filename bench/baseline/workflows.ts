import {
  type ActivityOptions,
  condition,
  defineSignal,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../activities/index.ts';
import type { Variables } from '../../schema/json.ts';
import type { StepRequest } from '../../schema/step.ts';
import type { BareActivities } from './activities.ts';
import { bareTaskQueue, RELEASE_SIGNAL } from './names.ts';

// The same activity options as Swarmflow's runWorkflow with default limits.
const stepOptions: ActivityOptions = {
  startToCloseTimeout: '60 seconds',
  retry: {
    maximumAttempts: 4,
    nonRetryableErrorTypes: ['ValidationError', 'UnknownTaskType', 'FeelError', 'OutputSchemaError'],
  },
};
const steps = proxyActivities<SwarmflowActivities>(stepOptions);
const localSteps = proxyLocalActivities<SwarmflowActivities>(stepOptions);
const readModel = proxyActivities<SwarmflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

export interface SequenceInput {
  runId: string;
  steps: number;
  work: StepRequest['work'];
  variables: Variables;
  /**
   * `activities`: Swarmflow's own executeStep (with its read-model row) and the run's start and
   * end rows, so that the work equals a Swarmflow run's. `local`: the same, each step a local
   * activity. `bare`: the step work alone, no read model.
   */
  mode: 'activities' | 'local' | 'bare';
}

/** The floor: a hand-written loop that calls one activity per step, nothing else. */
export async function sequenceWorkflow(input: SequenceInput): Promise<Variables> {
  const { runId } = input;
  const scope = { runId, tenantId: 'default', routineId: 'baseline' };
  const readModelRows = input.mode !== 'bare';
  if (readModelRows) {
    await readModel.recordRunStarted({
      ...scope,
      routineVersion: 1,
      processId: 'main',
      workflowId: `baseline/${runId}`,
      input: input.variables,
    });
  }
  const bare = proxyActivities<BareActivities>({
    ...stepOptions,
    taskQueue: bareTaskQueue(workflowInfo().taskQueue),
  });
  const step = { activities: steps.executeStep, local: localSteps.executeStep, bare: bare.bareStep }[
    input.mode
  ];
  const variables = { ...input.variables };
  for (let index = 1; index <= input.steps; index += 1) {
    const request: StepRequest = {
      ...scope,
      stepKey: `s${index}#1`,
      elementId: `s${index}`,
      elementType: 'serviceTask',
      work: input.work,
      variables,
    };
    Object.assign(variables, await step(request));
  }
  if (readModelRows) {
    await readModel.recordRunEnded({ runId, status: 'completed', outputs: variables, trace: [] });
  }
  return variables;
}

const releaseSignal = defineSignal(RELEASE_SIGNAL);

/** Waits durably until released: the least a held execution can cost on Temporal. */
export async function heldWorkflow(): Promise<void> {
  let released = false;
  setHandler(releaseSignal, () => {
    released = true;
  });
  await condition(() => released);
}
