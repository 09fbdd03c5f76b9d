import { patched, proxyActivities } from '@temporalio/workflow';
import type { EvalRunActivities } from '../../activities/eval-runs/contract.ts';
import { canonicalJson } from '../../schema/canonical-json.ts';
import type { ServiceWork } from '../../schema/graph.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { EvalToolContext } from '../../schema/run.ts';
import type { McpToolDescriptor, ToolCallOutcome } from '../../schema/tools.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { RunContext, RunScope } from './run-context.ts';

/**
 * The eval tool policy inside a run of an eval case. Every call that would reach the world (an
 * LLM step's MCP tool call, an `mcp:` task, an `http` task) is decided here once the deployment's
 * and routine's tool policies allowed it (their denials stand; their approvals are not asked for,
 * as nobody watches an eval): replayed from the source run, denied, or (allowSafe) called when
 * the tool is read-only or idempotent. No approval waits and no incident parks: an eval run that
 * cannot go on fails, and its case scores 0.
 *
 * Replay keys, chosen to survive a changed routine version:
 * - LLM tool calls: server, tool and arguments (canonical JSON), and which occurrence of that same
 *   call it is in this run; answered from the `callMcpTool` results in the source run's history.
 *   A call the source run did not make (other arguments, say) is refused, and the model is told.
 * - `mcp:` and `http` tasks: the step key (`<element id>#<instance>`); answered with the
 *   variables the source run's same step produced, from the run_steps read model.
 */

/** The patch under which runs of eval cases follow the eval tool policy. */
const EVAL_TOOL_POLICY = 'eval-tool-policy';

export type EvalToolAction =
  | { action: 'call' }
  | { action: 'replay'; sourceRunId: string }
  | { action: 'deny'; reason: string };

/** Replays are reads of history and the read model: short, retried a few times. */
const replays = proxyActivities<EvalRunActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['UnknownSourceRun'] },
});

/** The eval tool context of a run of an eval case; undefined for every other run. */
export function evalToolsOf(scope: RunScope): EvalToolContext | undefined {
  return scope.evalTools !== undefined && patched(EVAL_TOOL_POLICY) ? scope.evalTools : undefined;
}

/** What the eval tool policy does with a call of `what`, which is `safe` when read-only or idempotent. */
export function decideEvalToolCall(context: EvalToolContext, what: string, safe: boolean): EvalToolAction {
  switch (context.policy) {
    case 'replay':
      return context.sourceRunId === undefined
        ? { action: 'deny', reason: 'the eval case has no source run to replay its tool calls from' }
        : { action: 'replay', sourceRunId: context.sourceRunId };
    case 'deny':
      return { action: 'deny', reason: 'the eval tool policy denies every tool call' };
    case 'allowSafe':
      return safe
        ? { action: 'call' }
        : {
            action: 'deny',
            reason: `the eval tool policy allows only read-only or idempotent tools, and ${what} is neither`,
          };
  }
}

/** Whether an MCP tool says it is read-only or idempotent (its annotations, as its server lists them). */
export function toolIsSafe(tool: McpToolDescriptor | undefined): boolean {
  return tool?.annotations?.readOnlyHint === true || tool?.annotations?.idempotentHint === true;
}

/** The task type of an HTTP request task. */
export const HTTP_TASK_TYPE = 'http';

/** Whether an HTTP task's method is safe by HTTP's own rules: GET (the default), HEAD or OPTIONS, given literally. */
export function httpTaskIsSafe(work: ServiceWork): boolean {
  const method = (work.headers.method ?? 'GET').trim().toUpperCase();
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * The source run's recorded result of the same LLM tool call, or undefined when it made no such
 * call. Counts the call's occurrence in this run.
 */
export async function replayToolCall(
  run: RunContext,
  sourceRunId: string,
  tool: McpToolDescriptor,
  args: Record<string, JsonValue>,
): Promise<ToolCallOutcome | undefined> {
  const occurrence = run.nextReplayOccurrence(`${tool.server}/${tool.name} ${canonicalJson(args)}`);
  const request = {
    tenantId: run.scope.routine.tenantId,
    sourceRunId,
    server: tool.server,
    tool: tool.name,
    args,
    occurrence,
  };
  return (await replays.replayToolCall(request)) ?? undefined;
}

/**
 * A service task under the eval tool policy: the variables of the source run's same step when
 * replayed, an incident (which fails an eval run) when denied, undefined when it may run.
 */
export async function evalServiceTask(
  run: RunContext,
  elementId: string,
  stepKey: string,
  action: EvalToolAction,
): Promise<Variables | undefined> {
  if (action.action === 'call') return undefined;
  if (action.action === 'deny') throw new RunIncident(elementId, `denied in an eval run: ${action.reason}`);
  const { sourceRunId } = action;
  const tenantId = run.scope.routine.tenantId;
  const variables = await replays.replayStep({ tenantId, sourceRunId, stepKey });
  if (variables === null) {
    throw new RunIncident(
      elementId,
      `denied in an eval run: the source run ${sourceRunId} has no completed step ${stepKey} to replay`,
    );
  }
  return variables;
}
