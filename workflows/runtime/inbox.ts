import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { Variables } from '../../schema/json.ts';
import type { MessageDelivery } from '../../schema/messages.ts';
import { SearchAttributes } from '../../schema/search-attributes.ts';
import type { CompleteUserTaskRequest } from '../../schema/user-task.ts';

interface OpenUserTask {
  taskKey: string;
  elementId: string;
  output?: Variables;
  /** Who completed it, as the caller's credentials say (absent for operator-side callers). */
  completedBy?: string;
}

/** A completed user task's output and who completed it. */
export interface UserTaskCompletion {
  output: Variables;
  completedBy: string | null;
}

/**
 * What reaches a run from outside: messages from mailboxes, broadcast signals, user task
 * completions. Waiting code blocks on `condition` until its item is here.
 */
export class Inbox {
  private readonly messages = new Map<string, MessageDelivery>();
  private readonly signalWaiters = new Map<string, { name: string; received?: Variables }>();
  private readonly userTasks = new Map<string, OpenUserTask>();
  private nextWaiter = 0;

  /** Keeps the first message a subscription gets: one wait is one correlation. */
  deliverMessage(delivery: MessageDelivery): void {
    if (!this.messages.has(delivery.subscriptionId)) this.messages.set(delivery.subscriptionId, delivery);
  }

  async waitForMessage(subscriptionId: string): Promise<Variables> {
    await condition(() => this.messages.has(subscriptionId));
    const delivery = this.messages.get(subscriptionId) as MessageDelivery;
    this.messages.delete(subscriptionId);
    return delivery.variables;
  }

  deliverSignal(name: string, variables: Variables): void {
    for (const waiter of this.signalWaiters.values()) if (waiter.name === name) waiter.received ??= variables;
  }

  /** Waits for a broadcast of `name`, advertising it in the run's search attributes meanwhile. */
  async waitForSignal(name: string): Promise<Variables> {
    const id = `signal-${++this.nextWaiter}`;
    const waiter: { name: string; received?: Variables } = { name };
    this.signalWaiters.set(id, waiter);
    this.advertiseSignals();
    try {
      await condition(() => waiter.received !== undefined);
      return waiter.received as Variables;
    } finally {
      this.signalWaiters.delete(id);
      this.advertiseSignals();
    }
  }

  openUserTask(taskKey: string, elementId: string): void {
    this.userTasks.set(taskKey, { taskKey, elementId });
  }

  /** The open task a completion request names; throws (rejecting the update) when there is none. */
  findUserTask(request: CompleteUserTaskRequest): OpenUserTask {
    const candidates = [...this.userTasks.values()].filter(
      (task) =>
        task.output === undefined &&
        task.elementId === request.elementId &&
        (request.taskKey === undefined || task.taskKey === request.taskKey),
    );
    if (candidates.length === 1) return candidates[0] as OpenUserTask;
    const open = [...this.userTasks.values()]
      .filter((task) => task.output === undefined)
      .map((task) => task.taskKey);
    const why = candidates.length === 0 ? 'no open user task' : 'several open instances (give taskKey)';
    throw new Error(`${why} for element "${request.elementId}"; open tasks: ${open.join(', ') || 'none'}`);
  }

  completeUserTask(taskKey: string, output: Variables, completedBy?: string): void {
    const task = this.userTasks.get(taskKey);
    if (!task) return;
    task.output = output;
    if (completedBy !== undefined) task.completedBy = completedBy;
  }

  async waitForUserTask(taskKey: string): Promise<UserTaskCompletion> {
    try {
      await condition(() => this.userTasks.get(taskKey)?.output !== undefined);
      const task = this.userTasks.get(taskKey) as OpenUserTask;
      return { output: task.output as Variables, completedBy: task.completedBy ?? null };
    } finally {
      this.userTasks.delete(taskKey);
    }
  }

  private advertiseSignals(): void {
    const names = [...new Set([...this.signalWaiters.values()].map((waiter) => waiter.name))].sort();
    upsertSearchAttributes([
      { key: SearchAttributes.waitingSignals, value: names.length > 0 ? names : null },
    ]);
  }
}
