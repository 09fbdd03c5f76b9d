import { isCancellation } from '@temporalio/workflow';
import type { ToolCall } from '../../schema/models.ts';
import { SWARM_TOOLS } from '../../schema/swarm-tools.ts';
import {
  decideToolCall,
  findToolByKey,
  type McpToolDescriptor,
  type ToolVerdict,
} from '../../schema/tools.ts';
import { rootMessage } from '../failures.ts';
import { parkToolCall } from '../runtime/tool-approval.ts';
import { agentCalls } from './activities.ts';
import type { AgentTurnContext } from './agent-round.ts';
import type { Swarm } from './swarm.ts';
import { runSwarmTool, type SwarmToolCall } from './swarm-tool-handlers.ts';
import { isSwarmTool } from './tool-descriptors.ts';

/**
 * Answers one tool call of an agent, as the text the model gets back. Swarm tools run in the
 * workflow after their input is validated; MCP tools pass the deployment's and the swarm's tool
 * policies (and, if they ask, a person's approval) and run as an activity. A refused or invalid call changes nothing.
 */
export async function answerAgentToolCall(
  swarm: Swarm,
  context: AgentTurnContext,
  offered: McpToolDescriptor[],
  call: ToolCall,
): Promise<string> {
  const tool = findToolByKey(offered, call.name);
  swarm.note({
    from: context.agent.id,
    to: 'swarm',
    kind: 'tool_call',
    text: `${call.name} ${JSON.stringify(call.args)}`,
  });
  const reply = !tool
    ? `error: no tool "${call.name}" is offered to ${context.agent.id}`
    : isSwarmTool(tool)
      ? await swarmToolReply(swarm, context, tool.name, call.args)
      : await mcpToolReply(swarm, context, tool, call);
  swarm.note({ from: 'swarm', to: context.agent.id, kind: 'tool_result', text: reply });
  return reply;
}

async function swarmToolReply(
  swarm: Swarm,
  context: AgentTurnContext,
  name: keyof typeof SWARM_TOOLS,
  args: unknown,
): Promise<string> {
  const parsed = SWARM_TOOLS[name].input.safeParse(args);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
    );
    return `error: invalid input for ${name}, nothing changed: ${problems.join('; ')}`;
  }
  try {
    // The schema was chosen by `name`, so the parsed input is that tool's.
    const call = { name, input: parsed.data } as SwarmToolCall;
    return `ok: ${await runSwarmTool(swarm, context, call)}`;
  } catch (error) {
    if (isCancellation(error)) throw error;
    return `error: ${rootMessage(error)}`;
  }
}

async function mcpToolReply(
  swarm: Swarm,
  context: AgentTurnContext,
  tool: McpToolDescriptor,
  call: ToolCall,
): Promise<string> {
  const { toolPolicy } = swarm.input;
  const layers = [
    { source: 'deployment', policy: context.policy },
    ...(toolPolicy ? [{ source: `swarm ${swarm.swarmId}`, policy: toolPolicy }] : []),
  ];
  const verdict = decideToolCall(layers, tool);
  if (verdict.decision === 'deny') return `refused: denied by the ${verdict.reason}; it did not run`;
  if (verdict.decision === 'approve') {
    const outcome = await requestApproval(swarm, context, tool, call, verdict);
    if (!outcome.approved)
      return `refused: the call was rejected (${outcome.reason ?? 'by a person'}); it did not run`;
  }
  const stopped = await swarm.mayProceed('toolCall', context.role);
  if (stopped !== undefined) return `refused: ${stopped}`;
  swarm.currentActivity = `${context.agent.id} calls ${tool.server}/${tool.name}`;
  const result = await agentCalls.callMcpTool({ server: tool.server, tool: tool.name, args: call.args });
  swarm.charge(result.usage);
  return result.isError ? `error: ${result.text}` : result.text;
}

function requestApproval(
  swarm: Swarm,
  context: AgentTurnContext,
  tool: McpToolDescriptor,
  call: ToolCall,
  { reason, approverRoles }: ToolVerdict,
) {
  swarm.callCount += 1;
  swarm.currentActivity = `${context.agent.id} waits for approval of ${tool.server}/${tool.name}`;
  const holder = { id: swarm.swarmId, timeoutMs: swarm.limits.approvalTimeoutMs };
  const callId = `${context.on}/call-${swarm.callCount}`;
  return parkToolCall(swarm.approvals, holder, {
    callId,
    elementId: context.on,
    tool,
    args: call.args,
    reason,
    approverRoles,
  });
}
