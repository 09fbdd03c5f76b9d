import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { Variables } from '../../schema/json.ts';
import { StepRequest } from '../../schema/step.ts';
import { recordStep } from '../store/run-read-model.ts';
import type { TaskTypeRegistry } from '../task-types/registry.ts';
import { runStepWork } from './execute-step.ts';

/** The step activity: runs one task's work and records the attempt in the run_steps read model. */
export function createStepActivities({
  db,
  taskTypes,
}: {
  db: Kysely<Database>;
  taskTypes: TaskTypeRegistry;
}) {
  return {
    async executeStep(input: StepRequest): Promise<Variables> {
      const request = StepRequest.parse(input);
      const { info } = Context.current();
      const startedAt = new Date();
      const record = (status: 'completed' | 'failed', extra: { output?: Variables; error?: string }) =>
        recordStep(db, {
          runId: request.runId,
          stepKey: request.stepKey,
          tenantId: request.tenantId,
          elementId: request.elementId,
          elementType: request.elementType,
          status,
          attempt: info.attempt,
          startedAt,
          endedAt: new Date(),
          durationMs: Date.now() - startedAt.getTime(),
          ...extra,
        });
      try {
        const output = await runStepWork(request, taskTypes);
        await record('completed', { output });
        return output;
      } catch (error) {
        await record('failed', { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}
