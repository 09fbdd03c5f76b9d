import {
  AIMessage,
  type AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { AssistantMessage, ChatMessage, TokenUsage } from '../../schema/models.ts';

/**
 * Plain-JSON chat messages (what Temporal's history holds) to LangChain messages and back.
 * Nothing of a provider's own message format crosses an activity boundary.
 */
export function toLangChainMessages(messages: ChatMessage[]): BaseMessage[] {
  return messages.map(toLangChainMessage);
}

function toLangChainMessage(message: ChatMessage): BaseMessage {
  switch (message.role) {
    case 'system':
      return new SystemMessage(message.text);
    case 'user':
      return new HumanMessage(message.text);
    case 'assistant':
      return new AIMessage({
        content: message.text,
        tool_calls: message.toolCalls.map(({ id, name, args }) => ({ id, name, args, type: 'tool_call' })),
      });
    case 'tool':
      return new ToolMessage({ content: message.text, tool_call_id: message.toolCallId });
  }
}

/** A model's reply as a plain assistant message: its text (text blocks joined) and its tool calls. */
export function fromLangChainReply(reply: AIMessage | AIMessageChunk): AssistantMessage {
  return {
    role: 'assistant',
    text: reply.text,
    toolCalls: (reply.tool_calls ?? []).map((call, index) => ({
      id: call.id ?? `call_${index + 1}`,
      name: call.name,
      args: call.args,
    })),
  };
}

/** Tokens from the reply's `usage_metadata`, which every LangChain provider fills; zero where a server reports none. */
export function replyUsage(reply: AIMessage | AIMessageChunk): TokenUsage {
  return {
    inputTokens: reply.usage_metadata?.input_tokens ?? 0,
    outputTokens: reply.usage_metadata?.output_tokens ?? 0,
  };
}
