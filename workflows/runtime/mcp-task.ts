import { isCancellation, proxyActivities } from '@temporalio/workflow';
import type { SwarmflowActivities } from '../../activities/index.ts';
import type { ElementOfKind, StepWork } from '../../schema/graph.ts';
import type { Variables } from '../../schema/json.ts';
import {
  decideToolCall,
  type McpToolDescriptor,
  type ToolPolicy,
  toolArguments,
} from '../../schema/tools.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import { executeStep } from '../effects.ts';
import { rootMessage } from '../failures.ts';
import { RunIncident } from '../navigator/incident.ts';
import type { RunContext } from './run-context.ts';

type ServiceWork = Extract<StepWork, { kind: 'service' }>;
type McpTask = Pick<ElementOfKind<'workTask'>, 'id' | 'bpmnType'> & { work: ServiceWork };

const MCP_PREFIX = 'mcp:';

/** Whether a task's work is a tool call: a service task of type `mcp:<server>/<tool>`. */
export function isMcpTask(work: StepWork): work is ServiceWork {
  return work.kind === 'service' && work.taskType.startsWith(MCP_PREFIX);
}

/**
 * A BPMN task bound to an MCP tool is a tool call like an LLM's: a tool the deployment's policy
 * wants approved waits for a person (a rejection fails the step: an incident), the run's budget
 * allows the call, and the call counts in the run's usage. The step itself runs as any other.
 */
export async function runMcpTask(
  run: RunContext,
  task: McpTask,
  stepKey: string,
  variables: Variables,
): Promise<Variables> {
  await approveIfAsked(run, task, stepKey, variables);
  await run.budget.allow('toolCall', task.id);
  const result = await executeStep(run.scope, task, stepKey, variables);
  run.budget.charge({ ...NO_USAGE, toolCalls: 1 });
  return result;
}

async function approveIfAsked(run: RunContext, task: McpTask, stepKey: string, variables: Variables) {
  const tool = await describeTool(run, task);
  if (!tool) return;
  const verdict = decideToolCall([{ source: 'deployment', policy: tool.policy }], tool.descriptor);
  if (verdict.decision !== 'approve') return;
  const { approvalTimeoutMs } = run.scope.limits;
  const now = Date.now();
  const outcome = await run.approvals.request(
    {
      runId: run.scope.runId,
      callId: `${stepKey}/call-1`,
      elementId: task.id,
      server: tool.descriptor.server,
      tool: tool.descriptor.name,
      args: toolArguments(tool.descriptor, variables),
      risk: tool.descriptor.risk,
      reason: verdict.reason,
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + approvalTimeoutMs).toISOString(),
    },
    approvalTimeoutMs,
  );
  if (outcome.approved) return;
  const by = outcome.decidedBy ? ` by ${outcome.decidedBy}` : '';
  throw new RunIncident(task.id, `the tool call was rejected${by}: ${outcome.reason ?? 'no reason given'}`);
}

/** The tool the task names, with the deployment's policy; undefined when unknown (its step then says so). */
async function describeTool(
  run: RunContext,
  task: McpTask,
): Promise<{ descriptor: McpToolDescriptor; policy: ToolPolicy } | undefined> {
  const { limits } = run.scope;
  const { listMcpTools } = proxyActivities<SwarmflowActivities>({
    startToCloseTimeout: limits.stepTimeoutMs,
    retry: { maximumAttempts: limits.stepRetries + 1 },
  });
  try {
    const catalog = await listMcpTools();
    const name = task.work.taskType.slice(MCP_PREFIX.length);
    const descriptor = catalog.tools.find((tool) => `${tool.server}/${tool.name}` === name);
    return descriptor && { descriptor, policy: catalog.policy };
  } catch (error) {
    if (isCancellation(error)) throw error;
    throw new RunIncident(task.id, `listing the MCP tools failed: ${rootMessage(error)}`);
  }
}
