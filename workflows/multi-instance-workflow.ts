import type { JsonValue } from '../schema/json.ts';
import { changedVariables } from './navigator/json.ts';
import { VariableScope } from './navigator/variable-scope.ts';
import type { Activity } from './runtime/activity-execution.ts';
import { toChildFailure } from './runtime/errors.ts';
import { installRunHandlers } from './runtime/handlers.ts';
import { runInstance } from './runtime/multi-instance.ts';
import { type BranchOutcome, RunContext, type RunScope } from './runtime/run-context.ts';
import { ScopeInstance } from './runtime/scope-instance.ts';

export interface MultiInstanceChunk {
  key: string;
  activityId: string;
  scopeId: string;
  variables: Record<string, JsonValue>;
  /** Index of the chunk's first item in the whole input collection. */
  first: number;
  items: JsonValue[];
  stepsBudget: number;
}

export interface MultiInstanceChunkOutcome extends BranchOutcome {
  outputs: JsonValue[];
}

/** A chunk of a large parallel multi-instance activity: its instances run here, in parallel. */
export async function multiInstanceWorkflow(
  input: RunScope & { chunk: MultiInstanceChunk },
): Promise<MultiInstanceChunkOutcome> {
  const { chunk } = input;
  const root = new VariableScope(undefined, chunk.variables);
  const run = new RunContext(input, root, `${chunk.key}/`, chunk.stepsBudget);
  installRunHandlers(run, () => ({
    runId: input.runId,
    status: run.status,
    outputs: root.ownVariables(),
    trace: run.trace,
  }));
  const scope = new ScopeInstance(run, chunk.scopeId, root, { handsErrorsOut: true });
  const activity = scope.element(chunk.activityId) as Activity;
  const host = { outer: scope, catchesError: () => false, escalate: () => 'uncaught' as const };
  try {
    const results = await Promise.all(
      chunk.items.map((item, offset) => runInstance(scope, activity, host, chunk.first + offset, item)),
    );
    return {
      outputs: results.map((result) => result.output),
      ...run.childOutcome(changedVariables(chunk.variables, root.ownVariables())),
    };
  } catch (error) {
    throw toChildFailure(error);
  }
}
