import type { Variables } from '../../schema/json.ts';
import type { LlmStepRecord } from '../../schema/llm-step.ts';
import type { StepRecordInput } from '../store/run-read-model.ts';

/** An LLM step that ended, as the workflow reports it: its record and when it ran (ISO times). */
export interface LlmStepEnded {
  runId: string;
  tenantId: string;
  elementType: string;
  startedAt: string;
  endedAt: string;
  record: LlmStepRecord & { status: 'completed' | 'failed' };
  output?: Variables;
}

/** The run_steps row of an ended LLM step: one attempt (its turns and tool calls retry on their own). */
export function llmStepRow({
  runId,
  tenantId,
  elementType,
  startedAt,
  endedAt,
  record,
  output,
}: LlmStepEnded) {
  const started = new Date(startedAt);
  const ended = new Date(endedAt);
  const row: StepRecordInput = {
    runId,
    stepKey: record.stepKey,
    tenantId,
    elementId: record.elementId,
    elementType,
    status: record.status,
    attempt: 1,
    startedAt: started,
    endedAt: ended,
    durationMs: ended.getTime() - started.getTime(),
    usage: record.usage,
    llm: {
      strategy: record.strategy,
      reason: record.reason,
      ...(record.model === undefined ? {} : { model: record.model }),
      ...(record.structuredOutput === undefined ? {} : { structuredOutput: record.structuredOutput }),
      ...(record.inputHash === undefined ? {} : { inputHash: record.inputHash }),
      turns: record.turns,
      toolCalls: record.toolCalls,
    },
    ...(output === undefined ? {} : { output }),
    ...(record.error === undefined ? {} : { error: record.error }),
  };
  return row;
}
