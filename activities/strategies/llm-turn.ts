import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { JsonSchema } from '../../schema/json.ts';
import type { ChatMessage, LlmTurnResult, StructuredOutputMethod } from '../../schema/models.ts';
import type { McpToolDescriptor } from '../../schema/tools.ts';
import { shapeConversation } from '../models/conversation-shape.ts';
import { fromLangChainReply, replyUsage, toLangChainMessages } from '../models/messages.ts';
import {
  denormaliseArgs,
  type NormalisedTool,
  normaliseTool,
  normaliseTools,
  type ProviderTarget,
} from '../models/tool-schemas/index.ts';
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
  /** What the model's provider accepts of tool schemas; default OpenAI's, not strict. */
  toolTarget?: ProviderTarget;
  signal?: AbortSignal;
}

/** The name of the forced tool or JSON schema that carries a structured answer (`output__answer`). */
const ANSWER_TOOL = 'answer';

/**
 * One LLM turn: the conversation in, one assistant message out, all plain JSON. Tools go out
 * normalised for the provider (see tool-schemas) and their calls come back by tool key with the
 * tool's own argument shape. An output schema is asked for natively where the model has a way
 * (OpenAI json_schema, Anthropic's forced tool) and no tools are offered, else in the prompt;
 * either way the answer is checked (`output`). The usage is the reply's `usage_metadata`.
 * @throws ToolSchemaError when a tool's schema cannot be expressed for the provider.
 */
export async function runLlmTurn(input: LlmTurnInput): Promise<LlmTurnResult> {
  const { messages, tools = [], outputSchema, signal } = input;
  const method =
    outputSchema === undefined
      ? undefined
      : tools.length > 0
        ? 'prompt'
        : (input.structuredOutput ?? 'prompt');
  const prompt =
    outputSchema && method === 'prompt' ? withOutputInstruction(messages, outputSchema) : messages;
  const native = outputSchema !== undefined && method !== undefined && method !== 'prompt';
  const normalised =
    !native && tools.length > 0 ? normaliseTools(tools, input.toolTarget ?? { provider: 'openai' }) : [];
  const conversation = toLangChainMessages(withProviderNames(shapeConversation(prompt), normalised));
  const options = signal ? { signal } : {};
  const started = performance.now();
  let reply: AIMessage;
  let answer: NormalisedTool | undefined;
  if (native) {
    answer = answerTool(outputSchema, method, input.toolTarget);
    reply = await askStructured(input.model, answer, method, conversation, options);
  } else if (normalised.length > 0) {
    reply = (await withTools(input.model, normalised).invoke(conversation, options)) as AIMessage;
  } else {
    reply = (await input.model.invoke(conversation, options)) as AIMessage;
  }
  const durationMs = Math.round(performance.now() - started);
  const message = answer ? answerMessage(reply, answer) : withToolKeys(fromLangChainReply(reply), normalised);
  const final = message.toolCalls.length === 0;
  return {
    message,
    usage: replyUsage(reply),
    durationMs,
    ...(outputSchema && final ? { output: checkOutput(outputSchema, message.text) } : {}),
    ...(method === undefined ? {} : { structuredOutput: method }),
  };
}

function withTools(model: BaseChatModel, tools: NormalisedTool[]) {
  if (!model.bindTools) throw new ConfigurationError(`the ${model._llmType()} model cannot call tools`);
  return model.bindTools(
    tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
        strict: tool.strict,
      },
    })),
  );
}

/**
 * The model asked for a structured answer natively: OpenAI's response_format json_schema (strict
 * when the schema can be), or a tool the model must call, whose input is the answer (Anthropic).
 * The raw reply comes back, so its usage is kept and its answer is checked like any other.
 */
async function askStructured(
  model: BaseChatModel,
  answer: NormalisedTool,
  method: 'json_schema' | 'tool',
  conversation: BaseMessage[],
  options: { signal?: AbortSignal },
): Promise<AIMessage> {
  const structured = model.withStructuredOutput(answer.parameters, {
    name: answer.name,
    method: method === 'json_schema' ? 'jsonSchema' : 'functionCalling',
    includeRaw: true,
    ...(method === 'json_schema' ? { strict: answer.strict } : {}),
  });
  return (await structured.invoke(conversation, options)).raw as AIMessage;
}

/** The output schema as the provider takes it: strict for OpenAI's json_schema where the schema allows. */
function answerTool(schema: JsonSchema, method: 'json_schema' | 'tool', target: ProviderTarget | undefined) {
  const provider = target?.provider ?? (method === 'tool' ? 'anthropic' : 'openai');
  const tool = { server: 'output', name: ANSWER_TOOL, inputSchema: schema, risk: 'low' as const };
  return normaliseTool(tool, { provider, strict: method === 'json_schema' });
}

/**
 * A native structured reply as the assistant's text, in the output schema's own shape (nulls that
 * strict mode made the model send for absent optional fields taken out): the forced tool's input,
 * or the JSON text of the reply. Text that is not JSON stays as it is, for checkOutput to refuse.
 */
function answerMessage(reply: AIMessage, answer: NormalisedTool): ChatMessage & { role: 'assistant' } {
  const forced = reply.tool_calls?.[0];
  const value = forced ? forced.args : parseObject(reply.text);
  const text = value === undefined ? reply.text : JSON.stringify(denormaliseArgs(answer, value));
  return { role: 'assistant', text, toolCalls: [] };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The conversation's earlier tool calls named as the provider sees the tools now (history keeps
 * tool keys): a shortened name stays consistent with the tool offered, and within the provider's
 * name rules.
 */
function withProviderNames(messages: ChatMessage[], tools: NormalisedTool[]): ChatMessage[] {
  const renamed = tools.filter((tool) => tool.name !== tool.key);
  if (renamed.length === 0) return messages;
  return messages.map((message) => {
    if (message.role !== 'assistant' || message.toolCalls.length === 0) return message;
    const toolCalls = message.toolCalls.map((call) => {
      const tool = renamed.find((candidate) => candidate.key === call.name);
      return tool ? { ...call, name: tool.name } : call;
    });
    return { ...message, toolCalls };
  });
}

/** Tool calls named by our tool keys, with the arguments in the tool's own shape. */
function withToolKeys(message: ChatMessage & { role: 'assistant' }, tools: NormalisedTool[]) {
  if (tools.length === 0) return message;
  const toolCalls = message.toolCalls.map((call) => {
    const tool = tools.find((candidate) => candidate.name === call.name);
    if (!tool) return call;
    return { ...call, name: tool.key, args: denormaliseArgs(tool, call.args) as typeof call.args };
  });
  return { ...message, toolCalls };
}
