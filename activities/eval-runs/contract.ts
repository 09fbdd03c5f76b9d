import type { EvalCaseRecord } from '../../schema/eval-run.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { RunWorkflowInput } from '../../schema/run.ts';
import type { ToolCallOutcome } from '../../schema/tools.ts';
import type { EvalEnd, EvalStart } from '../store/eval-store.ts';

/** A tool call of an eval case's run, to be answered from the source run's history. */
export interface ReplayToolCallRequest {
  tenantId: string;
  sourceRunId: string;
  server: string;
  tool: string;
  args: Record<string, JsonValue>;
  /** 1 for the first call with this tool and these arguments in the replaying run, 2 for the second... */
  occurrence: number;
}

/** A service task (`mcp:`, `http`) of an eval case's run, to be answered from the source run's step. */
export interface ReplayStepRequest {
  tenantId: string;
  sourceRunId: string;
  /** `<element id>#<instance>`: the same element's same instance in the source run. */
  stepKey: string;
}

/** The eval-run activities, as workflows see them; implementations beside this file. */
export interface EvalRunActivities {
  /**
   * Records the eval as running (idempotent by eval id) and returns the input of its case runs:
   * the routine version's default process, limits and ref; each case sets its run id and variables.
   * Fails non-retryably (`UnknownRoutine`) for a routine version that does not exist.
   */
  prepareEvalRun(request: EvalStart): Promise<RunWorkflowInput>;
  /** Writes one case's row; again for the same eval id and ordinal, it overwrites it. */
  recordEvalCase(record: EvalCaseRecord): Promise<void>;
  /** Records how the eval ended. */
  finishEvalRun(request: EvalEnd): Promise<void>;
  /**
   * The recorded result of the source run's matching call (the `occurrence`-th call of the same
   * tool with the same arguments, compared as canonical JSON), or null when it made no such call.
   * Fails non-retryably (`UnknownSourceRun`) when the tenant has no such run.
   */
  replayToolCall(request: ReplayToolCallRequest): Promise<ToolCallOutcome | null>;
  /** The variables the source run's step with this key produced, or null when it has no completed one. */
  replayStep(request: ReplayStepRequest): Promise<Variables | null>;
}
