import { describe, expect, it } from 'vitest';
import { NO_RESULT, shapeConversation } from '../../../activities/models/conversation-shape.ts';
import type { ChatMessage } from '../../../schema/models.ts';

const call = (id: string) => ({ id, name: 'srv__tool', args: {} });

describe('shapeConversation', () => {
  it('leaves a well-formed conversation as it is', () => {
    const messages: ChatMessage[] = [
      { role: 'system', text: 'be brief' },
      { role: 'user', text: 'add' },
      { role: 'assistant', text: '', toolCalls: [call('a')] },
      { role: 'tool', toolCallId: 'a', text: '3' },
      { role: 'assistant', text: 'it is 3', toolCalls: [] },
    ];
    expect(shapeConversation(messages)).toEqual(messages);
  });

  it('answers a tool call that has no recorded result (a crash mid-turn, a rejected approval)', () => {
    const shaped = shapeConversation([
      { role: 'user', text: 'go' },
      { role: 'assistant', text: 'calling', toolCalls: [call('a'), call('b')] },
      { role: 'tool', toolCallId: 'b', text: 'done' },
      { role: 'user', text: 'and now?' },
    ]);
    expect(shaped).toEqual([
      { role: 'user', text: 'go' },
      { role: 'assistant', text: 'calling', toolCalls: [call('a'), call('b')] },
      { role: 'tool', toolCallId: 'a', text: NO_RESULT },
      { role: 'tool', toolCallId: 'b', text: 'done' },
      { role: 'user', text: 'and now?' },
    ]);
  });

  it('moves an answer that came after another message back behind its call', () => {
    const shaped = shapeConversation([
      { role: 'user', text: 'go' },
      { role: 'assistant', text: '', toolCalls: [call('a')] },
      { role: 'user', text: 'approved' },
      { role: 'tool', toolCallId: 'a', text: 'ok' },
    ]);
    expect(shaped.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
  });

  it('drops a tool result whose call was trimmed away, and an empty assistant message', () => {
    const shaped = shapeConversation([
      { role: 'tool', toolCallId: 'gone', text: 'old' },
      { role: 'user', text: 'hello' },
      { role: 'assistant', text: '  ', toolCalls: [] },
      { role: 'user', text: 'anyone?' },
    ]);
    expect(shaped).toEqual([{ role: 'user', text: 'hello\n\nanyone?' }]);
  });

  it('puts one system message first and opens with a user turn', () => {
    const shaped = shapeConversation([
      { role: 'system', text: 'one' },
      { role: 'assistant', text: 'earlier answer', toolCalls: [] },
      { role: 'system', text: 'two' },
      { role: 'user', text: 'next' },
    ]);
    expect(shaped).toEqual([
      { role: 'system', text: 'one\n\ntwo' },
      { role: 'user', text: '(continuing the conversation)' },
      { role: 'assistant', text: 'earlier answer', toolCalls: [] },
      { role: 'user', text: 'next' },
    ]);
  });
});
