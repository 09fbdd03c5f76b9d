import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { MultiInstance } from '../../schema/graph.ts';
import type { JsonValue } from '../../schema/json.ts';
import { runMultiInstanceChunk } from '../effects.ts';
import { conditionAt, evaluateAt } from '../navigator/evaluate.ts';
import { RunIncident } from '../navigator/incident.ts';
import { type Activity, runBody } from './activity-execution.ts';
import type { ScopeHost, ScopeInstance } from './scope-instance.ts';

/** Parallel multi-instance bodies above this many items run as child workflows, in chunks of this size. */
export const CHILD_CHUNK_SIZE = 25;

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * Multi-instance: one body per item of the input collection, in parallel or in sequence; the
 * output collection keeps input order; the completion condition may end the rest early. A large
 * parallel one without a completion condition fans out as child workflows.
 */
export async function runMultiInstance(
  scope: ScopeInstance,
  activity: Activity,
  host: ScopeHost,
): Promise<void> {
  const loop = activity.multiInstance as MultiInstance;
  const items = inputItems(activity, loop, scope);
  const outputs =
    !loop.sequential && !loop.completionCondition && items.length > CHILD_CHUNK_SIZE
      ? await runInChildren(scope, activity, items)
      : await runInPlace(scope, activity, loop, host, items);
  if (loop.outputCollection) scope.variables.propagate({ [loop.outputCollection]: outputs });
}

/** One instance: its own scope with the item and loop counter, tracked as one element instance; returns its output element. */
export async function runInstance(
  scope: ScopeInstance,
  activity: Activity,
  host: ScopeHost,
  index: number,
  item: JsonValue,
): Promise<{ output: JsonValue; variables: Record<string, JsonValue> }> {
  const loop = activity.multiInstance as MultiInstance;
  const instanceScope = scope.variables.child({
    loopCounter: index + 1,
    ...(loop.inputElement ? { [loop.inputElement]: item } : {}),
    // As Zeebe: an output element naming a variable gets it local to each instance, so instances don't share it.
    ...(loop.outputElement && IDENTIFIER.test(loop.outputElement) ? { [loop.outputElement]: null } : {}),
  });
  await scope.track(activity, () =>
    scope.retryOnIncident(() => runBody(scope, activity, instanceScope, host)),
  );
  const variables = instanceScope.view();
  return {
    output: loop.outputElement ? evaluateAt(activity.id, loop.outputElement, variables) : null,
    variables,
  };
}

async function runInPlace(
  scope: ScopeInstance,
  activity: Activity,
  loop: MultiInstance,
  host: ScopeHost,
  items: JsonValue[],
): Promise<JsonValue[]> {
  const outputs: JsonValue[] = items.map(() => null);
  const counts = { completed: 0, active: 0 };
  const instances = new CancellationScope();
  let finishedEarly = false;
  const runOne = async (index: number) => {
    counts.active += 1;
    const { output, variables } = await runInstance(scope, activity, host, index, items[index] as JsonValue);
    counts.active -= 1;
    counts.completed += 1;
    outputs[index] = output;
    const context = {
      ...variables,
      numberOfInstances: items.length,
      numberOfCompletedInstances: counts.completed,
      numberOfActiveInstances: counts.active,
    };
    if (loop.completionCondition && conditionAt(activity.id, loop.completionCondition, context)) {
      finishedEarly = true;
      instances.cancel();
    }
  };
  try {
    await instances.run(async () => {
      if (!loop.sequential) {
        await Promise.all(items.map((_, index) => runOne(index)));
        return;
      }
      for (let index = 0; index < items.length && !finishedEarly; index++) await runOne(index);
    });
  } catch (error) {
    if (!(finishedEarly && isCancellation(error))) throw error;
  }
  return outputs;
}

async function runInChildren(
  scope: ScopeInstance,
  activity: Activity,
  items: JsonValue[],
): Promise<JsonValue[]> {
  const { run } = scope;
  const key = run.nextKey(activity.id);
  const outputs: JsonValue[] = items.map(() => null);
  const snapshot = scope.variables.view();
  const chunks = Array.from(
    { length: Math.ceil(items.length / CHILD_CHUNK_SIZE) },
    (_, chunk) => chunk * CHILD_CHUNK_SIZE,
  );
  await Promise.all(
    chunks.map(async (first) => {
      const outcome = await runMultiInstanceChunk(run.scope, {
        key: `${key}.${first}`,
        activityId: activity.id,
        scopeId: scope.scopeId,
        variables: snapshot,
        first,
        items: items.slice(first, first + CHILD_CHUNK_SIZE),
        stepsBudget: run.maxSteps - run.stepsExecuted,
      });
      outcome.outputs.forEach((output, offset) => {
        outputs[first + offset] = output;
      });
      scope.variables.propagate(outcome.changes);
      run.absorb(outcome);
    }),
  );
  return outputs;
}

function inputItems(activity: Activity, loop: MultiInstance, scope: ScopeInstance): JsonValue[] {
  const items = evaluateAt(activity.id, loop.inputCollection, scope.variables.view());
  if (!Array.isArray(items)) {
    throw new RunIncident(
      activity.id,
      `inputCollection "${loop.inputCollection}" must be a list, not ${JSON.stringify(items)}`,
    );
  }
  return items;
}
