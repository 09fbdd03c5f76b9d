import { ChatOpenAICompletions } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { runLlmTurn } from '../../../activities/strategies/llm-turn.ts';
import type { ChatMessage } from '../../../schema/models.ts';
import { type McpToolDescriptor, toolKey } from '../../../schema/tools.ts';
import { type OpenAiStandIn, startOpenAiStandIn } from '../../support/stand-ins/openai-chat.ts';

/**
 * A tool whose key is too long for a provider is offered under a shortened name; the conversation's
 * earlier calls of it (kept by tool key) go out under that same name, and the model's new call of it
 * comes back by the tool key.
 */

const longTool: McpToolDescriptor = {
  server: 'warehouse-inventory-management',
  name: 'list_every_item_of_a_stock_location_with_its_quantities',
  inputSchema: { type: 'object', properties: { location: { type: 'string' } } },
  risk: 'low',
};
const key = toolKey(longTool);

describe('tools renamed for the provider', () => {
  let standIn: OpenAiStandIn;
  afterEach(() => standIn?.stop());

  it('name the earlier calls of a tool as the provider sees the tool now', async () => {
    standIn = await startOpenAiStandIn({
      defaultResponder: ({ body }) => {
        const [tool] = body.tools as { function: { name: string } }[];
        return { toolCalls: [{ name: tool?.function.name ?? '', arguments: { location: 'B' } }] };
      },
    });
    const model = new ChatOpenAICompletions({
      model: 'gpt-4o-mini',
      apiKey: standIn.apiKey,
      configuration: { baseURL: standIn.baseURL },
      maxRetries: 0,
    });
    const messages: ChatMessage[] = [
      { role: 'user', text: 'List locations A and B.' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'call_1', name: key, args: { location: 'A' } }] },
      { role: 'tool', toolCallId: 'call_1', text: 'A: 3 boxes' },
    ];
    const turn = await runLlmTurn({ model, messages, tools: [longTool] });

    expect(key.length).toBeGreaterThan(64);
    const request = standIn.chatRequests()[0] as {
      tools: { function: { name: string } }[];
      messages: { tool_calls?: { function: { name: string } }[] }[];
    };
    const offered = request.tools[0]?.function.name;
    expect(offered).toHaveLength(64);
    const history = request.messages;
    expect(history[1]?.tool_calls?.[0]?.function.name).toBe(offered);
    expect(turn.message.toolCalls).toEqual([expect.objectContaining({ name: key, args: { location: 'B' } })]);
    expect(standIn.rejections).toEqual([]);
  });
});
