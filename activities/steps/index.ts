import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { Prices } from '../../schema/deployment-config.ts';
import type { Variables } from '../../schema/json.ts';
import { type StepOutcome, StepRequest } from '../../schema/step.ts';
import { stepUsage } from '../metering/step-usage.ts';
import { processMetrics } from '../metrics/process-metrics.ts';
import { stepTaskType } from '../metrics/step-task-type.ts';
import { recordStep } from '../store/run-read-model.ts';
import type { TaskTypeRegistry } from '../task-types/registry.ts';
import { runStepWork } from './execute-step.ts';
import { type LlmStepEnded, llmStepRow } from './llm-step-row.ts';

export interface StepActivityDependencies {
  db: Kysely<Database>;
  taskTypes: TaskTypeRegistry;
  /** The deployment's price table: a step's wall time (and an MCP task's tool call) cost credits. */
  prices: Prices;
}

/**
 * The step activities: `executeMeteredStep` runs one task's work, meters it and records the
 * attempt in the run_steps read model; `recordLlmStep` records an LLM step, which the workflow runs.
 */
export function createStepActivities(dependencies: StepActivityDependencies) {
  const { db } = dependencies;
  return {
    async executeMeteredStep(input: StepRequest): Promise<StepOutcome> {
      return meteredStep(dependencies, input);
    },
    /** The step activity of runs that scheduled it before steps were metered (patch "metered-steps"). */
    async executeStep(input: StepRequest): Promise<Variables> {
      return (await meteredStep(dependencies, input)).variables;
    },
    async recordLlmStep(input: LlmStepEnded): Promise<void> {
      const row = llmStepRow(input);
      await recordStep(db, row);
      observeLlmStep(input, row.durationMs);
    },
  };
}

async function meteredStep(
  { db, taskTypes, prices }: StepActivityDependencies,
  input: StepRequest,
): Promise<StepOutcome> {
  const request = StepRequest.parse(input);
  const { info } = Context.current();
  const startedAt = new Date();
  const record = async (status: 'completed' | 'failed', extra: { output?: Variables; error?: string }) => {
    const endedAt = new Date();
    const durationMs = endedAt.getTime() - startedAt.getTime();
    const usage = stepUsage(prices, request.work, durationMs);
    const { runId, stepKey, tenantId, elementId, elementType } = request;
    const step = { runId, stepKey, tenantId, elementId, elementType, status, attempt: info.attempt };
    await recordStep(db, { ...step, startedAt, endedAt, durationMs, usage, ...extra });
    processMetrics().stepDuration.observe(
      { task_type: stepTaskType(request.work), strategy: 'deterministic', status },
      durationMs / 1000,
    );
    return usage;
  };
  try {
    const variables = await runStepWork(request, taskTypes);
    return { variables, usage: await record('completed', { output: variables }) };
  } catch (error) {
    await record('failed', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** An LLM step's duration, and its tokens and credits by model and tenant. */
function observeLlmStep({ tenantId, record }: LlmStepEnded, durationMs: number): void {
  const metrics = processMetrics();
  const { strategy, status, usage } = record;
  metrics.stepDuration.observe({ task_type: 'llm', strategy, status }, durationMs / 1000);
  const model = record.model ?? 'none';
  if (usage.inputTokens > 0)
    metrics.llmTokens.inc({ model, tenant: tenantId, direction: 'input' }, usage.inputTokens);
  if (usage.outputTokens > 0)
    metrics.llmTokens.inc({ model, tenant: tenantId, direction: 'output' }, usage.outputTokens);
  if (usage.credits > 0) metrics.llmCredits.inc({ model, tenant: tenantId }, usage.credits);
}
