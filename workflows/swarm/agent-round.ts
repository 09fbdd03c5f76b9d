import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { Agent } from '../../schema/agent.ts';
import type { ChatMessage } from '../../schema/models.ts';
import { globMatches, type McpToolDescriptor, type ToolPolicy } from '../../schema/tools.ts';
import { agentCalls } from './activities.ts';
import { answerAgentToolCall } from './agent-tool-calls.ts';
import { SWARM_IMPROVEMENT_SUBTASK } from './improvement-subtask.ts';
import type { Swarm } from './swarm.ts';
import { swarmToolsFor } from './tool-descriptors.ts';

/** Who acts and for what: the leader for the swarm, or a worker for one subtask. */
export interface AgentTurnContext {
  agent: Agent;
  role: 'leader' | 'worker';
  /** "leader" or the subtask id: where approvals and the transcript say the call comes from. */
  on: string;
  mcpTools: McpToolDescriptor[];
  policy: ToolPolicy;
}

/** A swarm's agent gave up: a limit or the swarm's end stopped it between turns. */
export const AGENT_STOPPED = 'SwarmAgentStopped';

/**
 * One round of an agent: LLM turns (each an activity, metered to the swarm) until it answers
 * without calling a tool, each tool call answered in order; at most `maxLeaderTurns` turns.
 * Returns the final text; a leader's round also ends as soon as the swarm is ending.
 */
export async function runAgentRound(
  swarm: Swarm,
  agent: Agent,
  role: 'leader' | 'worker',
  on: string,
  conversation: ChatMessage[],
): Promise<string> {
  const context: AgentTurnContext = { agent, role, on, ...(await agentMcpTools(agent)) };
  // Swarms recorded before improvement subtasks never offered improve_routine; replaying them must not either.
  const improvement = role === 'leader' && patched(SWARM_IMPROVEMENT_SUBTASK);
  const offered = [...swarmToolsFor(role, { improvement }), ...context.mcpTools];
  for (let turns = 0; turns < swarm.limits.maxLeaderTurns; turns++) {
    const stopped = await swarm.mayProceed('turn', role);
    if (stopped !== undefined) throw ApplicationFailure.nonRetryable(stopped, AGENT_STOPPED);
    swarm.currentActivity = `${agent.id} is thinking (${on})`;
    const turn = await agentCalls.llmTurn({
      messages: conversation,
      tools: offered,
      ...(agent.model === undefined ? {} : { model: agent.model }),
    });
    swarm.charge(turn.usage);
    conversation.push(turn.message);
    const { text, toolCalls } = turn.message;
    if (text) swarm.note({ from: agent.id, to: role === 'leader' ? 'swarm' : on, kind: 'message', text });
    if (toolCalls.length === 0) return text;
    for (const call of toolCalls) {
      const reply = await answerAgentToolCall(swarm, context, offered, call);
      conversation.push({ role: 'tool', toolCallId: call.id, text: reply });
      if (role === 'leader' && swarm.ended) return text;
    }
  }
  throw ApplicationFailure.nonRetryable(
    `${agent.id} gave no final answer within the swarm's limit of ${swarm.limits.maxLeaderTurns} turns`,
    AGENT_STOPPED,
  );
}

/** The MCP tools the agent's globs allow, and the deployment's policy; none asked for, none listed. */
async function agentMcpTools(agent: Agent): Promise<{ mcpTools: McpToolDescriptor[]; policy: ToolPolicy }> {
  if (agent.tools.length === 0) return { mcpTools: [], policy: { rules: [] } };
  const catalog = await agentCalls.listMcpTools();
  const mcpTools = catalog.tools.filter((tool) =>
    agent.tools.some((glob) => globMatches(glob, `${tool.server}/${tool.name}`)),
  );
  return { mcpTools, policy: catalog.policy };
}
