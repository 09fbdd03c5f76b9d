import { runSubtask } from './subtask-runner.ts';
import type { Swarm } from './swarm.ts';

/**
 * Starts the subtasks whose dependencies are done, in the swarm's work scope, up to the
 * swarm's concurrency limit and while its limits allow; knows which are still running.
 */
export class SubtaskScheduler {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly swarm: Swarm) {}

  get idle(): boolean {
    return this.running.size === 0;
  }

  startReady(): void {
    const { swarm } = this;
    for (const subtask of swarm.board.ready()) {
      if (this.running.size >= swarm.limits.maxConcurrency) return;
      if (!swarm.enforceLimits('subtask')) return;
      const done = swarm.work
        .run(() => runSubtask(swarm, subtask))
        .finally(() => {
          this.running.delete(subtask.id);
          swarm.touch();
        });
      this.running.set(subtask.id, done);
    }
  }

  /** Settles once every running subtask has ended (cancelled children included). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }
}
