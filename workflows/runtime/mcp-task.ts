import { isCancellation, patched, proxyActivities } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../activities/index.ts';
import { type ElementOfKind, MCP_TASK_PREFIX, type ServiceWork } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import type { EvalToolContext } from '../../schema/run.ts';
import { decideToolCall, type ToolCatalog, toolArguments } from '../../schema/tools.ts';
import { NO_USAGE, type Usage } from '../../schema/usage.ts';
import { executeStep } from '../effects.ts';
import { rootMessage } from '../failures.ts';
import { RunIncident } from '../navigator/incident.ts';
import { decideEvalToolCall, evalServiceTask, evalToolsOf, toolIsSafe } from './eval-tools.ts';
import type { RunContext } from './run-context.ts';
import { requestToolApproval } from './tool-approval.ts';
import { routinePolicyLayers } from './tool-calls.ts';

type McpTask = Pick<ElementOfKind<'workTask'>, 'id' | 'bpmnType'> & { work: ServiceWork };

/** The patch under which a denied MCP task is an incident before its step is scheduled. */
const DENIED_BEFORE_THE_STEP = 'mcp-task-policy-deny';

/** What a step scheduled before steps were metered counts: the tool call alone. */
const UNMETERED_TOOL_CALL: Usage = { ...NO_USAGE, toolCalls: 1 };

/**
 * A BPMN task bound to an MCP tool is a tool call like an LLM's, decided by the deployment's and
 * the routine's tool policies: a denied call is an incident naming the rule, a call to approve
 * waits for a person (a rejection is an incident). Then the run's budget allows the call, the
 * step runs as any other, and what it used is charged to the run.
 */
export async function runMcpTask(
  run: RunContext,
  task: McpTask,
  stepKey: string,
  variables: Variables,
): Promise<Variables> {
  const evalTools = evalToolsOf(run.scope);
  if (evalTools) {
    const replayed = await decideInEval(run, task, stepKey, evalTools);
    if (replayed) return replayed;
  } else await decidePolicy(run, task, stepKey, variables);
  await run.budget.allow('toolCall', task.id);
  const result = await executeStep(run.scope, task, stepKey, variables);
  run.budget.charge(result.usage ?? UNMETERED_TOOL_CALL);
  return result.variables;
}

/**
 * An MCP task in a run of an eval case: the deployment's and routine's denials stand; then the
 * eval tool policy decides (see eval-tools.ts). Returns the replayed variables, or undefined when
 * the task may run; a denial is an incident, which fails an eval run.
 */
async function decideInEval(
  run: RunContext,
  task: McpTask,
  stepKey: string,
  evalTools: EvalToolContext,
): Promise<Variables | undefined> {
  const catalog = await toolCatalog(run, task);
  const name = task.work.taskType.slice(MCP_TASK_PREFIX.length);
  const tool = catalog.tools.find((candidate) => `${candidate.server}/${candidate.name}` === name);
  if (tool) {
    const verdict = decideToolCall(routinePolicyLayers(catalog.policy, task.work.routine?.toolPolicy), tool);
    if (verdict.decision === 'deny') {
      throw new RunIncident(task.id, `tool ${name} is denied by the ${verdict.reason}`);
    }
  }
  const action = decideEvalToolCall(evalTools, name, toolIsSafe(tool));
  return evalServiceTask(run, task.id, stepKey, action);
}

async function decidePolicy(run: RunContext, task: McpTask, stepKey: string, variables: Variables) {
  const catalog = await toolCatalog(run, task);
  const name = task.work.taskType.slice(MCP_TASK_PREFIX.length);
  const tool = catalog.tools.find((candidate) => `${candidate.server}/${candidate.name}` === name);
  // An unknown tool: its step says so.
  if (!tool) return;
  const layers = routinePolicyLayers(catalog.policy, task.work.routine?.toolPolicy);
  const verdict = decideToolCall(layers, tool);
  if (verdict.decision === 'deny' && patched(DENIED_BEFORE_THE_STEP)) {
    throw new RunIncident(task.id, `tool ${name} is denied by the ${verdict.reason}`);
  }
  if (verdict.decision !== 'approve') return;
  const args = toolArguments(tool, variables);
  const callId = `${stepKey}/call-1`;
  const outcome = await requestToolApproval(run, {
    callId,
    elementId: task.id,
    tool,
    args,
    reason: verdict.reason,
  });
  if (outcome.approved) return;
  const by = outcome.decidedBy ? ` by ${outcome.decidedBy}` : '';
  throw new RunIncident(task.id, `the tool call was rejected${by}: ${outcome.reason ?? 'no reason given'}`);
}

/** The tools of the deployment's MCP servers and its tool policy. */
async function toolCatalog(run: RunContext, task: McpTask): Promise<ToolCatalog> {
  const { limits } = run.scope;
  const { listMcpTools } = proxyActivities<SwarmflowActivities>({
    startToCloseTimeout: limits.stepTimeoutMs,
    retry: { maximumAttempts: limits.stepRetries + 1 },
  });
  try {
    return await listMcpTools();
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw new RunIncident(task.id, `listing the MCP tools failed: ${rootMessage(error)}`);
  }
}
