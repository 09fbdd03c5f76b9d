import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoImprovementScheduleError } from '../../../client/improvement-errors.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { registerWithRuns, triageDeployment, triageModels } from '../../support/triage.ts';

/**
 * The schedule `improve schedule` creates (`improve/<tenant>/<routine>`), driven by the Temporal
 * CLI as an operator would: trigger starts a cycle, pause stops the next actions (unpause resumes
 * them), backfill starts the missed actions with overlap skip (a cycle still going skips the others).
 */

const run = promisify(execFile);
const tenantId = 'improvement-schedule';
let stack: TestStack;

const deployment = triageDeployment({ premium: triageModels.premium, budget: triageModels.budget });

beforeAll(async () => {
  stack = await startTestStack({ tenantId });
  await stack.startWorker({ deployment });
});
afterAll(async () => {
  await stack?.stop();
});

/** `temporal <args>` on the stack's server and namespace; the parsed JSON output with `-o json`. */
async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run('.tools/bin/temporal', [
    ...args,
    '--address',
    stack.config.temporalAddress,
    '--namespace',
    stack.config.temporalNamespace,
  ]);
  return stdout;
}

async function describeSchedule(scheduleId: string) {
  return JSON.parse(await temporal('schedule', 'describe', '--schedule-id', scheduleId, '-o', 'json'));
}

/** The improvement cycles the schedule started: their workflow ids, with each one's type. */
async function cyclesOf(scheduleId: string): Promise<{ workflowId: string; type: string; status: string }[]> {
  const cycles = [];
  const query = `TemporalScheduledById = "${scheduleId}"`;
  for await (const execution of stack.client.temporal.workflow.list({ query })) {
    cycles.push({ workflowId: execution.workflowId, type: execution.type, status: execution.status.name });
  }
  return cycles;
}

/** A deterministic routine with two runs as evidence: its cycles find nothing to propose and end at once. */
async function quickRoutine(id: string): Promise<void> {
  await stack.client.registerRoutine({
    id,
    body: { kind: 'sequence', steps: [{ id: 'echo', expression: 'text', resultVariable: 'echoed' }] },
  });
  for (const text of ['one', 'two']) {
    const { runId } = await stack.client.startRun({ routineId: id, input: { text } });
    expect((await stack.client.awaitRun(runId)).status).toBe('completed');
  }
}

describe("a routine's improvement schedule, driven by the Temporal CLI", () => {
  it('starts a cycle on trigger; paused, it takes no action until unpaused', async () => {
    await quickRoutine('echo-trigger');
    const { scheduleId } = await stack.client.improvement.schedule({
      routineId: 'echo-trigger',
      every: '1d',
    });
    expect(scheduleId).toBe(`improve/${tenantId}/echo-trigger`);
    expect(await cyclesOf(scheduleId)).toEqual([]);

    await temporal('schedule', 'trigger', '--schedule-id', scheduleId);
    await expect.poll(() => cyclesOf(scheduleId)).toHaveLength(1);
    const [cycle] = await cyclesOf(scheduleId);
    expect(cycle?.type).toBe('improvementWorkflow');
    expect(cycle?.workflowId.startsWith(`${scheduleId}-`)).toBe(true);
    const result = await stack.client.improvement.result(cycle?.workflowId as string);
    expect(result).toMatchObject({ cycleId: cycle?.workflowId, routineId: 'echo-trigger', promoted: null });
    expect(result.stopped).toMatch(/^no new candidate to evaluate/);

    // Every 2 s, the schedule acts by itself; paused, it does not; unpaused, it does again.
    await stack.client.improvement.schedule({ routineId: 'echo-trigger', every: '2s' });
    await expect.poll(() => cyclesOf(scheduleId), { timeout: 20_000 }).toHaveLength(2);
    await temporal('schedule', 'toggle', '--schedule-id', scheduleId, '--pause', '--reason', 'maintenance');
    const paused = await describeSchedule(scheduleId);
    expect(paused.schedule.state).toMatchObject({ paused: true, notes: 'maintenance' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const whenPaused = (await cyclesOf(scheduleId)).length;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await cyclesOf(scheduleId)).toHaveLength(whenPaused);
    await temporal('schedule', 'toggle', '--schedule-id', scheduleId, '--unpause', '--reason', 'done');
    await expect
      .poll(async () => (await cyclesOf(scheduleId)).length, { timeout: 20_000 })
      .toBeGreaterThan(whenPaused);
    expect(await stack.client.improvement.unschedule('echo-trigger')).toBe(true);
  }, 120_000);

  it('backfills missed actions with overlap skip: a cycle waiting for a decision skips the others', async () => {
    // An LLM routine with four runs as evidence: its cycles leave a proposal that waits for a person.
    await registerWithRuns(stack.client, 'triage-backfill');
    const { scheduleId } = await stack.client.improvement.schedule({
      routineId: 'triage-backfill',
      every: '1d',
      autoPromote: false,
    });
    // Three missed days: the first starts a cycle, which waits for a person; the two others are skipped.
    const end = new Date();
    const start = new Date(end.getTime() - 3 * 24 * 60 * 60 * 1000 + 60_000);
    await temporal(
      'schedule',
      'backfill',
      '--schedule-id',
      scheduleId,
      '--start-time',
      start.toISOString(),
      '--end-time',
      end.toISOString(),
    );
    await expect.poll(() => cyclesOf(scheduleId)).toHaveLength(1);
    await expect
      .poll(async () => Number((await describeSchedule(scheduleId)).info.overlapSkipped ?? 0))
      .toBe(2);
    const [cycle] = await cyclesOf(scheduleId);
    expect(cycle).toMatchObject({ type: 'improvementWorkflow', status: 'RUNNING' });
    await expect
      .poll(async () => (await stack.client.improvement.proposals({ routineId: 'triage-backfill' })).length, {
        timeout: 60_000,
      })
      .toBe(1);

    // A trigger while it waits is skipped too.
    await temporal('schedule', 'trigger', '--schedule-id', scheduleId);
    await expect
      .poll(async () => Number((await describeSchedule(scheduleId)).info.overlapSkipped ?? 0))
      .toBe(3);
    expect(await cyclesOf(scheduleId)).toHaveLength(1);

    // Once the proposal is rejected the cycle ends, and the next trigger starts a new one.
    const [pending] = await stack.client.improvement.proposals({ routineId: 'triage-backfill' });
    await stack.client.improvement.reject({ proposal: pending?.id as string, reason: 'not now' });
    expect((await stack.client.improvement.result(cycle?.workflowId as string)).promoted).toBeNull();
    await temporal('schedule', 'trigger', '--schedule-id', scheduleId);
    await expect.poll(() => cyclesOf(scheduleId)).toHaveLength(2);
    expect(await stack.client.improvement.unschedule('triage-backfill')).toBe(true);
    for (const { workflowId, status } of await cyclesOf(scheduleId)) {
      if (status === 'RUNNING')
        await stack.client.temporal.workflow.getHandle(workflowId).terminate('test over');
    }
  }, 120_000);

  it('is paused, unpaused and triggered from the SDK as from the Temporal CLI', async () => {
    await quickRoutine('echo-sdk');
    const { scheduleId } = await stack.client.improvement.schedule({ routineId: 'echo-sdk', every: '1d' });
    await stack.client.improvement.pauseSchedule('echo-sdk', 'quiet week');
    expect((await describeSchedule(scheduleId)).schedule.state).toMatchObject({
      paused: true,
      notes: 'quiet week',
    });
    await stack.client.improvement.unpauseSchedule('echo-sdk');
    expect((await describeSchedule(scheduleId)).schedule.state.paused ?? false).toBe(false);
    await stack.client.improvement.triggerSchedule('echo-sdk');
    await expect.poll(() => cyclesOf(scheduleId)).toHaveLength(1);
    const [cycle] = await cyclesOf(scheduleId);
    expect(cycle?.type).toBe('improvementWorkflow');
    expect(await stack.client.improvement.unschedule('echo-sdk')).toBe(true);
    // A deleted schedule's workflow may take a moment to end: until then it still takes a pause.
    await expect
      .poll(() =>
        stack.client.improvement.pauseSchedule('echo-sdk').then(
          () => 'paused',
          (error: Error) => error.name,
        ),
      )
      .toBe('NoImprovementScheduleError');
    await expect(stack.client.improvement.triggerSchedule('never-scheduled')).rejects.toThrow(
      NoImprovementScheduleError,
    );
  });
});
