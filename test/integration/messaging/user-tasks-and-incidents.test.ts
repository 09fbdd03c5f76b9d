import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messagesCommands } from '../../../client/cli/commands/messages.ts';
import { runsCommands } from '../../../client/cli/commands/runs.ts';
import { tasksCommands } from '../../../client/cli/commands/tasks.ts';
import { UnknownRunError } from '../../../client/errors.ts';
import { IncidentNotResolvedError, UserTaskNotOpenError } from '../../../client/run-update-errors.ts';
import { runWorkflowId } from '../../../client/sdk.ts';
import { ValidationError } from '../../../schema/validation.ts';
import { mailboxStateQuery, mailboxWorkflowId } from '../../../workflows/mailbox/definitions.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import {
  type FakeUserTaskRunInput,
  fakeUserTaskRunWorkflow,
} from '../../support/workflows/fake-user-task-run.ts';
import { startMessagingWorker } from '../../support/workflows/worker.ts';

let stack: TestStack;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  stack = await startTestStack();
  worker = await startMessagingWorker(stack);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

/** Starts a stand-in run with open user tasks, and waits until the read model lists them. */
async function startRun(tasks: FakeUserTaskRunInput['tasks'], incident = false) {
  const runId = randomUUID();
  const handle = await stack.client.temporal.workflow.start(fakeUserTaskRunWorkflow, {
    workflowId: runWorkflowId(runId),
    taskQueue: stack.config.taskQueue,
    args: [{ runId, tenantId: stack.config.tenantId, tasks, incident }],
  });
  await vi.waitFor(async () => expect(await stack.client.listTasks({ runId })).toHaveLength(tasks.length), {
    timeout: 15_000,
    interval: 100,
  });
  return { runId, handle };
}

describe('user tasks through the SDK', () => {
  it('completes an open task by element id; the run gets the output and the read model the ending', async () => {
    const { runId, handle } = await startRun([{ elementId: 'review', taskKey: 'review#1' }]);
    expect(await stack.client.listTasks({ runId, status: 'open' })).toMatchObject([
      { elementId: 'review', taskKey: 'review#1', status: 'open' },
    ]);
    const completed = await stack.client.completeTask(runId, {
      elementId: 'review',
      output: { approved: true },
    });
    expect(completed).toEqual({ taskKey: 'review#1' });
    expect(await handle.result()).toEqual([{ elementId: 'review', output: { approved: true } }]);
    expect(await stack.client.listTasks({ runId })).toMatchObject([{ status: 'completed' }]);
  });

  it('refuses an unknown or finished task, naming it and listing the open ones', async () => {
    const { runId } = await startRun([
      { elementId: 'review', taskKey: 'review#1' },
      { elementId: 'approve', taskKey: 'approve#1' },
    ]);
    await stack.client.completeTask(runId, { elementId: 'review' });
    for (const elementId of ['review', 'typo']) {
      const error = await stack.client.completeTask(runId, { elementId }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserTaskNotOpenError);
      expect((error as Error).message).toBe(
        `run ${runId} cannot complete user task "${elementId}": no open user task for element "${elementId}"; ` +
          'its open user tasks: approve (task approve#1)',
      );
    }
  });

  it('picks one of several open instances by task key', async () => {
    const { runId, handle } = await startRun([
      { elementId: 'sign', taskKey: 'sign#1' },
      { elementId: 'sign', taskKey: 'sign#2' },
    ]);
    expect(await stack.client.completeTask(runId, { elementId: 'sign', taskKey: 'sign#2' })).toEqual({
      taskKey: 'sign#2',
    });
    expect(await stack.client.listTasks({ runId, status: 'open' })).toMatchObject([{ taskKey: 'sign#1' }]);
    await stack.client.completeTask(runId, { elementId: 'sign' });
    await handle.result();
  });

  it('says so when the run does not exist, and validates its input before asking', async () => {
    await expect(stack.client.completeTask('no-such-run', { elementId: 'x' })).rejects.toBeInstanceOf(
      UnknownRunError,
    );
    await expect(stack.client.completeTask('r', { elementId: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(stack.client.listTasks({ status: 'done' as 'open' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('incidents through the SDK', () => {
  it('resolves the incident of a parked run', async () => {
    const { runId, handle } = await startRun([], true);
    await stack.client.resolveIncident(runId, { variables: { fixed: true } });
    expect(await handle.result()).toEqual([]);
  });

  it('refuses clearly when the run has no incident', async () => {
    const { runId, handle } = await startRun([{ elementId: 'review', taskKey: 'review#1' }]);
    const resolve = stack.client.resolveIncident(runId);
    await expect(resolve).rejects.toBeInstanceOf(IncidentNotResolvedError);
    await expect(resolve).rejects.toThrow(
      `run ${runId} cannot resolve its incident: the run has no incident`,
    );
    await handle.terminate('test over');
  });
});

describe('swarmflow tasks, runs resolve and messages publish', () => {
  beforeAll(() => {
    vi.stubEnv('TEMPORAL_ADDRESS', stack.config.temporalAddress);
    vi.stubEnv('DATABASE_URL', stack.config.databaseUrl);
    vi.stubEnv('SWARMFLOW_TASK_QUEUE', stack.config.taskQueue);
  });
  afterAll(() => vi.unstubAllEnvs());

  /** Runs the commands in this process, as `swarmflow <args>` would, and returns what they print. */
  async function swarmflow(...args: string[]): Promise<string> {
    const program = new Command('swarmflow').exitOverride();
    for (const register of [tasksCommands, runsCommands, messagesCommands]) register(program);
    const printed: string[] = [];
    const write = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => printed.push(String(chunk)) > 0);
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
    }
    return printed.join('');
  }

  it('lists open tasks, completes one with output, and resolves an incident', async () => {
    const { runId, handle } = await startRun([{ elementId: 'review', taskKey: 'review#1' }], true);
    const listed = await swarmflow('tasks', 'list', '--run', runId, '--json');
    expect(JSON.parse(listed)).toMatchObject([{ runId, elementId: 'review', status: 'open' }]);
    const completed = await swarmflow('tasks', 'complete', runId, 'review', '--output', '{"approved":true}');
    expect(completed).toBe(`completed user task review#1 of run ${runId}\n`);
    const resolved = await swarmflow('runs', 'resolve', runId, '--set', '{"retries":3}');
    expect(resolved).toBe(`incident of run ${runId} resolved: retrying\n`);
    expect(await handle.result()).toEqual([{ elementId: 'review', output: { approved: true } }]);
  });

  it('refuses bad JSON naming the option, before reaching the run', async () => {
    await expect(swarmflow('tasks', 'complete', 'r', 'review', '--output', '[1]')).rejects.toThrow(
      /invalid --output value \(a JSON object\)/,
    );
    await expect(swarmflow('runs', 'resolve', 'r', '--set', '{')).rejects.toThrow(/invalid --set value/);
  });

  it('publishes a message with an id and a time to live', async () => {
    const name = `cli-${randomUUID()}`;
    const published = await swarmflow(
      'messages',
      'publish',
      name,
      '--correlation-key',
      'k',
      '--ttl',
      'PT1M',
      '--id',
      'm-1',
    );
    expect(published).toBe(`published message ${name} (id m-1) for key k\n`);
    const mailbox = stack.client.temporal.workflow.getHandle(mailboxWorkflowId(name, 'k'));
    const [message] = (await mailbox.query(mailboxStateQuery)).messages;
    expect(message).toMatchObject({ messageId: 'm-1', variables: {} });
    expect(message?.expiresAt).toBeGreaterThan(Date.now() + 50_000);
  });
});
