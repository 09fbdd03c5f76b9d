import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runWorkflowId } from '../../client/sdk.ts';
import { ensureTemporalCli } from '../../client/server/temporal-cli.ts';
import type { WorkerDeploymentVersion } from '../../schema/worker-versioning.ts';
import { bpmnProcess, flows } from '../support/bpmn.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Worker Versioning with two versions side by side (docs/worker-versioning.md): two workers of one
 * Worker Deployment on one task queue, build ids v1 and v2, rolled out with the Temporal CLI as the
 * document says. A run started on v1 stays pinned there, waits at a user task while v2 is ramped
 * and made current, and finishes on v1; runs started after the ramp run on v2. Neither worker keeps
 * workflows in its cache, so every workflow task goes through the task queue's routing, never a
 * worker's sticky queue.
 */

const execFileAsync = promisify(execFile);
const { WorkerDeploymentVersionStatus, VersioningBehavior, EventType } = temporal.api.enums.v1;

let stack: TestStack;
let cli: string;
const deploymentName = `swarmflow-test-${randomUUID().slice(0, 8)}`;
const v1: WorkerDeploymentVersion = { deploymentName, buildId: 'v1' };
const v2: WorkerDeploymentVersion = { deploymentName, buildId: 'v2' };

const reviewing = {
  id: `versioning-review-${randomUUID().slice(0, 8)}`,
  name: 'Review',
  body: {
    kind: 'bpmn' as const,
    xml: bpmnProcess(
      `<bpmn:startEvent id="start" /><bpmn:userTask id="review" /><bpmn:endEvent id="end" />
       ${flows(['start', 'review'], ['review', 'end'])}`,
      'versioning_review',
    ),
  },
};

beforeAll(async () => {
  stack = await startTestStack();
  cli = await ensureTemporalCli();
  await stack.client.registerRoutine(reviewing);
  const uncached = { maxCachedWorkflows: 0 };
  await stack.startWorker({ deploymentVersion: v1, tuning: uncached });
  await stack.startWorker({ deploymentVersion: v2, tuning: uncached });
  await vi.waitFor(async () => expect(await versionStatuses()).toHaveProperty(['v1']), {
    timeout: 15_000,
    interval: 200,
  });
  await vi.waitFor(async () => expect(await versionStatuses()).toHaveProperty(['v2']), {
    timeout: 15_000,
    interval: 200,
  });
});
afterAll(async () => {
  await stack?.stop();
});

/** `temporal worker deployment <command>` against the stack's server, as an operator types it. */
async function deploymentCommand(command: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(cli, [
    'worker',
    'deployment',
    command,
    '--address',
    stack.config.temporalAddress,
    '--namespace',
    stack.config.temporalNamespace,
    ...args,
  ]);
  return stdout;
}

/** Each version of the deployment by build id, with its status (inactive, current, ramping, draining, drained). */
async function versionStatuses(): Promise<Record<string, number>> {
  const { workerDeploymentInfo } = await stack.client.temporal.workflowService.describeWorkerDeployment({
    namespace: stack.config.temporalNamespace,
    deploymentName,
  });
  return Object.fromEntries(
    (workerDeploymentInfo?.versionSummaries ?? []).map((summary) => [
      summary.deploymentVersion?.buildId ?? '',
      summary.status ?? 0,
    ]),
  );
}

/** Starts a run of the review routine and waits until it waits at its user task. */
async function startWaitingRun(): Promise<string> {
  const { runId } = await stack.client.startRun({ routineId: reviewing.id, input: {} });
  await vi.waitFor(
    async () => expect(await stack.client.listTasks({ runId, status: 'open' })).toHaveLength(1),
    {
      timeout: 15_000,
      interval: 100,
    },
  );
  return runId;
}

/** The run's versioning as Temporal describes it: its behaviour and the build id it runs on. */
async function versioningOf(runId: string) {
  const { workflowExecutionInfo } = await stack.client.temporal.workflowService.describeWorkflowExecution({
    namespace: stack.config.temporalNamespace,
    execution: { workflowId: runWorkflowId(runId) },
  });
  const info = workflowExecutionInfo?.versioningInfo;
  return { behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId };
}

/** The build id of the worker that completed each of the run's workflow tasks, in order. */
async function workflowTaskBuildIds(runId: string): Promise<string[]> {
  const history = await stack.client.temporal.workflow.getHandle(runWorkflowId(runId)).fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map((event) => event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? 'unversioned');
}

async function finish(runId: string): Promise<void> {
  await stack.client.completeTask(runId, { elementId: 'review', output: { approved: true } });
  await stack.client.temporal.workflow.getHandle(runWorkflowId(runId)).result();
}

describe('worker versioning with two versions side by side', () => {
  it('keeps a run pinned to the version that started it while v2 is ramped and made current', async () => {
    await deploymentCommand(
      'set-current-version',
      '--deployment-name',
      deploymentName,
      '--build-id',
      'v1',
      '--yes',
    );
    const onV1 = await startWaitingRun();
    expect(await versioningOf(onV1)).toEqual({
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
      buildId: 'v1',
    });

    // Ramp v2 for every new run (100%), then make it current: the ramp ends there.
    await deploymentCommand(
      'set-ramping-version',
      '--deployment-name',
      deploymentName,
      '--build-id',
      'v2',
      '--percentage',
      '100',
      '--yes',
    );
    const rampedToV2 = await startWaitingRun();
    await deploymentCommand(
      'set-current-version',
      '--deployment-name',
      deploymentName,
      '--build-id',
      'v2',
      '--yes',
    );
    const onV2 = await startWaitingRun();
    expect(await versioningOf(rampedToV2)).toMatchObject({ buildId: 'v2' });
    expect(await versioningOf(onV2)).toMatchObject({ buildId: 'v2' });

    // v1 is no longer current but a pinned run still needs it: it drains.
    await expect.poll(versionStatuses).toMatchObject({
      v1: WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING,
      v2: WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT,
    });
    expect(
      await deploymentCommand('describe-version', '--deployment-name', deploymentName, '--build-id', 'v1'),
    ).toMatch(/DrainageStatus\s+draining/i);

    // The pinned run resumes, after the switch, on the v1 worker only, and completes there.
    await Promise.all([finish(onV1), finish(rampedToV2), finish(onV2)]);
    const v1Tasks = await workflowTaskBuildIds(onV1);
    expect(v1Tasks.length).toBeGreaterThan(1);
    expect(new Set(v1Tasks)).toEqual(new Set(['v1']));
    expect(await versioningOf(onV1)).toMatchObject({ buildId: 'v1' });
    for (const runId of [rampedToV2, onV2]) {
      expect(new Set(await workflowTaskBuildIds(runId))).toEqual(new Set(['v2']));
    }
  });
});
