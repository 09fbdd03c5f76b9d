import type { Client } from '@temporalio/client';
import type { SwarmflowClient } from '../client/sdk.ts';
import type { Variables } from '../schema/json.ts';
import type { SequenceInput, sequenceWorkflow } from './baseline/workflows.ts';
import { type StepTimings, stepTimings } from './history.ts';
import { forEachLimited } from './load.ts';
import { percentile } from './stats.ts';

/** Starts a Swarmflow run, waits for it, and checks its outputs; returns its workflow id. */
export async function runRoutine(
  client: SwarmflowClient,
  routineId: string,
  input: Variables,
  expected: Variables,
): Promise<string> {
  const { runId, workflowId } = await client.startRun({ routineId, input });
  const outcome = await client.awaitRun(runId);
  if (outcome.status !== 'completed')
    throw new Error(`run ${runId} ${outcome.status}: ${outcome.error ?? ''}`);
  assertOutputs(outcome.outputs, expected, runId);
  return workflowId;
}

/** Runs the hand-written baseline workflow and checks its result; returns its workflow id. */
export async function runBaseline(
  client: Client,
  taskQueue: string,
  input: SequenceInput,
  expected: Variables,
): Promise<string> {
  const workflowId = `baseline/${input.runId}`;
  const result = await client.workflow.execute<typeof sequenceWorkflow>('sequenceWorkflow', {
    taskQueue,
    workflowId,
    args: [input],
  });
  assertOutputs(result, expected, workflowId);
  return workflowId;
}

/** Step timings of the runs `workflowIds` names, read from an evenly spread sample of their histories. */
export async function sampledStepTimings(
  client: Client,
  workflowIds: readonly string[],
  activity: string,
  sample: number,
): Promise<StepTimings[]> {
  const stride = Math.max(1, Math.floor(workflowIds.length / sample));
  const picked = workflowIds.filter((_, index) => index % stride === 0).slice(0, sample);
  const timings: StepTimings[] = [];
  const failures = await forEachLimited(picked.length, 8, async (index) => {
    const history = await client.workflow.getHandle(picked[index] ?? '').fetchHistory();
    timings.push(stepTimings(history, activity));
  });
  if (failures.length > 0) throw new Error(`could not read histories: ${failures[0]}`);
  return timings;
}

/** Median history length and size (bytes, payloads included) of a sample of the runs `workflowIds` names. */
export async function sampledHistorySize(
  client: Client,
  workflowIds: readonly string[],
  sample: number,
): Promise<{ events: number; bytes: number }> {
  const picked = workflowIds.slice(0, sample);
  const sizes: { events: number; bytes: number }[] = [];
  const failures = await forEachLimited(picked.length, 4, async (index) => {
    const description = await client.workflow.getHandle(picked[index] ?? '').describe();
    sizes.push({ events: description.historyLength, bytes: description.historySize ?? Number.NaN });
  });
  if (failures.length > 0) throw new Error(`could not describe runs: ${failures[0]}`);
  return {
    events: percentile(
      sizes.map((size) => size.events),
      50,
    ),
    bytes: percentile(
      sizes.map((size) => size.bytes),
      50,
    ),
  };
}

function assertOutputs(outputs: Variables, expected: Variables, id: string): void {
  for (const [name, value] of Object.entries(expected)) {
    if (outputs[name] !== value) {
      throw new Error(
        `${id}: ${name} is ${JSON.stringify(outputs[name])}, expected ${JSON.stringify(value)}`,
      );
    }
  }
}
