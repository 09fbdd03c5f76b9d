import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SearchAttributes } from '../../../schema/search-attributes.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { signalWaiterWorkflow } from '../../support/workflows/signal-waiter.ts';
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

/** Starts a stand-in run waiting for the signal `name` as a run of `tenantId`. */
function waitFor(name: string, tenantId = stack.config.tenantId) {
  return stack.client.temporal.workflow.start(signalWaiterWorkflow, {
    workflowId: `signal-waiter/${randomUUID()}`,
    taskQueue: stack.config.taskQueue,
    args: [name, tenantId],
  });
}

/** Waits until visibility, which lags the workflows a little, lists `count` runs waiting for `name`. */
async function untilVisible(name: string, count: number): Promise<void> {
  const query = `${SearchAttributes.waitingSignals.name} = '${name}' AND ExecutionStatus = 'Running'`;
  await vi.waitFor(
    async () => expect((await stack.client.temporal.workflow.count(query)).count).toBe(count),
    { timeout: 15_000, interval: 100 },
  );
}

describe('signal broadcast', () => {
  it('reaches every running workflow of the tenant waiting for the signal, and nobody else', async () => {
    const name = `alarm-${randomUUID()}`;
    const receivers = [await waitFor(name), await waitFor(name)];
    const otherSignal = await waitFor(`${name}-other`);
    const otherTenant = await waitFor(name, 'another-tenant');
    await untilVisible(name, 3);

    const reached = await stack.client.broadcastSignal({ name, variables: { level: 3 } });

    expect(reached).toBe(2);
    for (const receiver of receivers) {
      expect(await receiver.result()).toEqual([{ name, variables: { level: 3 } }]);
    }
    for (const bystander of [otherSignal, otherTenant]) {
      expect((await bystander.describe()).status.name).toBe('RUNNING');
      await bystander.terminate('test over');
    }
  });

  it('reaches nobody when nobody waits', async () => {
    expect(await stack.client.broadcastSignal({ name: `silence-${randomUUID()}` })).toBe(0);
  });

  it('quotes names that would break the visibility query', async () => {
    const name = `it's ${randomUUID()}`;
    const receiver = await waitFor(name);
    await vi.waitFor(async () => expect(await stack.client.broadcastSignal({ name })).toBe(1), {
      timeout: 15_000,
      interval: 200,
    });
    expect(await receiver.result()).toEqual([{ name, variables: {} }]);
  });
});
