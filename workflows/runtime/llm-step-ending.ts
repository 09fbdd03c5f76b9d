import { isCancellation, patched } from '@temporalio/workflow';
import type { Variables } from '../../schema/json.ts';
import type { LlmStepRecord } from '../../schema/llm-step.ts';
import { bookkeeping } from '../effects.ts';
import type { RunContext } from './run-context.ts';

/** The patch under which an LLM step that ends is recorded in the run_steps read model. */
const LLM_STEP_RECORDS = 'llm-step-records';

type Ended = 'completed' | 'failed';

/**
 * How an LLM step ends: its record in the run's state, and its row in the run_steps read model
 * (strategy and why, model, turns, tool calls, usage), keyed by its step key so a retried write
 * leaves one row. An interrupted step (cancelled) gets no row: it did not fail, it was stopped.
 */
export class LlmStepEnding {
  private readonly startedAt = new Date(Date.now()).toISOString();

  constructor(
    private readonly run: RunContext,
    private readonly elementType: string,
    private readonly record: LlmStepRecord,
  ) {}

  completed(output: Variables): Promise<void> {
    return this.end('completed', { output });
  }

  async failed(error: unknown): Promise<void> {
    this.record.error = error instanceof Error ? error.message : String(error);
    if (isCancellation(error)) {
      this.record.status = 'failed';
      return;
    }
    await this.end('failed', {});
  }

  private async end(status: Ended, extra: { output?: Variables }): Promise<void> {
    this.record.status = status;
    if (!patched(LLM_STEP_RECORDS)) return;
    const { runId, routine } = this.run.scope;
    await bookkeeping.recordLlmStep({
      runId,
      tenantId: routine.tenantId,
      elementType: this.elementType,
      startedAt: this.startedAt,
      endedAt: new Date(Date.now()).toISOString(),
      record: { ...this.record, status },
      ...extra,
    });
  }
}
