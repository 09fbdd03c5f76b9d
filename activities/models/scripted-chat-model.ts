import type { ToolDefinition } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { z } from 'zod';
import { ScriptTurn, type ScriptTurnInput } from '../../schema/models.ts';
import { parseInput } from '../../schema/validation.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { estimateTokens, type PickedTurn, pickTurn } from './script-player.ts';

export interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: ToolDefinition[];
}

export interface ScriptedChatModelFields extends BaseChatModelParams {
  turns: ScriptTurnInput[];
}

/**
 * Swarmflow's offline provider: a real LangChain chat model whose replies come from a script
 * instead of a network. It binds tools, returns tool calls on its AIMessages and reports
 * `usage_metadata` (characters / 4) like any provider, so tests and demos take the same path.
 * Which turn answers depends only on the conversation (see pickTurn), never on earlier calls.
 */
export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions> {
  readonly turns: ScriptTurn[];

  constructor({ turns, ...fields }: ScriptedChatModelFields) {
    super(fields);
    this.turns = parseInput(z.array(ScriptTurn).min(1), turns, 'script');
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<ScriptedCallOptions>) {
    return this.withConfig({ tools: tools.map((tool) => convertToOpenAITool(tool)), ...kwargs });
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const picked = pickTurn(this.turns, messages);
    const toolCalls = scriptedToolCalls(picked, options.tools);
    const content =
      picked.turn.object !== undefined ? JSON.stringify(picked.turn.object) : (picked.turn.text ?? '');
    const input_tokens = estimateTokens(
      JSON.stringify(messages.map(promptText)) + JSON.stringify(options.tools ?? []),
    );
    const output_tokens = estimateTokens(content + (toolCalls.length > 0 ? JSON.stringify(toolCalls) : ''));
    const message = new AIMessage({
      content,
      tool_calls: toolCalls,
      usage_metadata: { input_tokens, output_tokens, total_tokens: input_tokens + output_tokens },
      response_metadata: { model_provider: 'scripted', scriptPosition: picked.position },
    });
    return { generations: [{ text: content, message }] };
  }
}

function scriptedToolCalls({ turn, position }: PickedTurn, tools: ToolDefinition[] | undefined) {
  const bound = new Set((tools ?? []).map((tool) => tool.function.name));
  return (turn.toolCalls ?? []).map((call, index) => {
    if (!bound.has(call.name)) {
      const names = bound.size > 0 ? [...bound].join(', ') : 'none';
      throw new ConfigurationError(
        `scripted reply ${position + 1} calls tool "${call.name}", which is not bound (bound: ${names})`,
      );
    }
    return {
      id: call.id ?? `call_${position + 1}_${index + 1}`,
      name: call.name,
      args: call.args,
      type: 'tool_call' as const,
    };
  });
}

function promptText(message: BaseMessage): string {
  const calls = message.type === 'ai' ? JSON.stringify((message as AIMessage).tool_calls ?? []) : '';
  return message.text + calls;
}
