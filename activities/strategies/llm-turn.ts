import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { JsonSchema } from '../../schema/json.ts';
import type { ChatMessage, LlmTurnResult, StructuredOutputMethod } from '../../schema/models.ts';
import { type McpToolDescriptor, toolKey } from '../../schema/tools.ts';
import { shapeConversation } from '../models/conversation-shape.ts';
import { fromLangChainReply, replyUsage, toLangChainMessages } from '../models/messages.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { checkOutput, withOutputInstruction } from './structured-output.ts';

export interface LlmTurnInput {
  model: BaseChatModel;
  messages: ChatMessage[];
  /** Tools the model may call, named for it by toolKey. */
  tools?: McpToolDescriptor[];
  /** With it, a reply without tool calls is checked against this schema (see checkOutput). */
  outputSchema?: JsonSchema;
  /** How to ask for `outputSchema` when no tools are offered; default in the prompt. */
  structuredOutput?: StructuredOutputMethod;
  signal?: AbortSignal;
}

/**
 * One LLM turn: the conversation in, one assistant message out, all plain JSON. The usage is
 * the reply's `usage_metadata`; `output` is the schema check of a final answer.
 */
export async function runLlmTurn({
  model,
  messages,
  tools = [],
  outputSchema,
  signal,
}: LlmTurnInput): Promise<LlmTurnResult> {
  const runnable = tools.length > 0 ? withTools(model, tools) : model;
  const prompt = outputSchema ? withOutputInstruction(messages, outputSchema) : messages;
  const started = performance.now();
  const reply = await runnable.invoke(
    toLangChainMessages(shapeConversation(prompt)),
    signal ? { signal } : {},
  );
  const durationMs = Math.round(performance.now() - started);
  const message = fromLangChainReply(reply);
  const final = message.toolCalls.length === 0;
  return {
    message,
    usage: replyUsage(reply),
    durationMs,
    ...(outputSchema && final ? { output: checkOutput(outputSchema, message.text) } : {}),
  };
}

function withTools(model: BaseChatModel, tools: McpToolDescriptor[]) {
  if (!model.bindTools) throw new ConfigurationError(`the ${model._llmType()} model cannot call tools`);
  return model.bindTools(
    tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: toolKey(tool),
        description: tool.description ?? tool.title ?? tool.name,
        parameters: tool.inputSchema,
      },
    })),
  );
}
