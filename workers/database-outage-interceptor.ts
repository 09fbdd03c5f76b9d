import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { isDatabaseConnectionError } from '../activities/resilience/database-errors.ts';
import { causeChain, isNetworkError } from '../activities/resilience/network-errors.ts';
import type { DatabaseHealth } from '../activities/store/database-health.ts';
import { describeCause } from '../activities/store/errors.ts';

/** Time kept back from an attempt's timeout, so that its failure reaches Temporal before the timeout does. */
const marginMs = 2_000;

/**
 * Turns an activity's lost database connection into a retryable `DatabaseUnavailable` failure
 * naming the database (`host:port`). A bare socket error counts when the database does not answer
 * a probe either (it may come from another dependency). Before failing, the attempt waits,
 * cancellably, until the database answers again or the attempt's time is nearly up, so that an
 * outage spends few of a step's retries; Temporal's retry then runs it again on a new connection.
 */
export class DatabaseOutageInterceptor implements ActivityInboundCallsInterceptor {
  readonly #health: DatabaseHealth;
  readonly #context: Context;

  constructor(health: DatabaseHealth, context: Context) {
    this.#health = health;
    this.#context = context;
  }

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      if (!(await this.#isOutage(error))) throw error;
      this.#health.reportLost(error);
      await this.#health.waitUntilReachable(this.#remainingMs() - marginMs, this.#context.cancellationSignal);
      throw ApplicationFailure.create({
        type: 'DatabaseUnavailable',
        message: `database ${this.#health.address} is unreachable (${describeCause(causeChain(error).at(-1))}); the activity is retried`,
        nonRetryable: false,
        ...(error instanceof Error ? { cause: error } : {}),
      });
    }
  }

  async #isOutage(error: unknown): Promise<boolean> {
    if (isDatabaseConnectionError(error)) return true;
    return isNetworkError(error) && !(await this.#health.check());
  }

  #remainingMs(): number {
    const { startToCloseTimeoutMs, currentAttemptScheduledTimestampMs } = this.#context.info;
    return currentAttemptScheduledTimestampMs + startToCloseTimeoutMs - Date.now();
  }
}
