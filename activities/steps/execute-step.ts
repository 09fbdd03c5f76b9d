import { ApplicationFailure, Context } from '@temporalio/activity';
import type { JsonSchema, Variables } from '../../schema/json.ts';
import { jsonSchemaProblems } from '../../schema/json-schema.ts';
import type { StepRequest } from '../../schema/step.ts';
import { evaluateFeel, FeelError } from '../../workflows/feel.ts';
import type { TaskTypeRegistry } from '../task-types/registry.ts';

/** Runs the work of one step (a FEEL script or a registered task type) and returns its result variables. */
export async function runStepWork(request: StepRequest, taskTypes: TaskTypeRegistry): Promise<Variables> {
  const { work, variables } = request;
  if (work.kind === 'script') {
    return { [work.resultVariable]: evaluateScript(work.expression, variables) };
  }
  if (work.kind === 'llm') {
    const message = `${request.elementId}: LLM work runs in the workflow, one activity per turn and tool call`;
    throw ApplicationFailure.create({ type: 'UnknownTaskType', message, nonRetryable: true });
  }
  const handler = taskTypes.resolve(work.taskType);
  const context = Context.current();
  const result = await handler({
    variables,
    headers: work.headers,
    signal: context.cancellationSignal,
    heartbeat: (details) => context.heartbeat(details),
  });
  if (work.outputSchema) assertOutput(work.outputSchema, result, request.elementId);
  return result;
}

function evaluateScript(expression: string, variables: Variables) {
  try {
    return evaluateFeel(expression, variables);
  } catch (error) {
    if (error instanceof FeelError) {
      throw ApplicationFailure.create({ type: 'FeelError', message: error.message, nonRetryable: true });
    }
    throw error;
  }
}

function assertOutput(schema: JsonSchema, result: Variables, elementId: string): void {
  const problems = jsonSchemaProblems(schema, result);
  if (problems.length === 0) return;
  throw ApplicationFailure.create({
    type: 'OutputSchemaError',
    message: `output of ${elementId} does not match its output schema: ${problems.join('; ')}`,
    nonRetryable: true,
  });
}
