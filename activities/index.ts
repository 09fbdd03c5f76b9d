import { Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/db/tables.ts';
import type { Variables } from '../schema/json.ts';
import type { RunOutcome } from '../schema/run.ts';
import { StepRequest } from '../schema/step.ts';
import { runStepWork } from './steps/execute-step.ts';
import { recordRunEnded, recordRunStarted, recordStep } from './store/run-read-model.ts';
import type { TaskTypeRegistry } from './task-types/registry.ts';

export interface ActivityDependencies {
  db: Kysely<Database>;
  taskTypes: TaskTypeRegistry;
}

export interface RunStartedRecord {
  runId: string;
  tenantId: string;
  routineId: string;
  routineVersion: number;
  processId: string;
  workflowId: string;
  input: Variables;
}

/** The activities a Swarmflow worker registers, bound to their dependencies. */
export function createActivities({ db, taskTypes }: ActivityDependencies) {
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

    async recordRunStarted(run: RunStartedRecord): Promise<void> {
      await recordRunStarted(db, run);
    },

    async recordRunEnded(outcome: RunOutcome): Promise<void> {
      await recordRunEnded(db, outcome);
    },
  };
}

export type SwarmflowActivities = ReturnType<typeof createActivities>;
