import type { ChatMessage } from '../../schema/models.ts';

/**
 * The conversation as every provider accepts it, whatever happened to it on the way: a worker
 * crash mid-turn, an approval rejected or timed out, a tool error, a denied tool, a transcript
 * trimmed for length. Pure: it reads and returns plain messages, and changes nothing that a
 * provider would have accepted.
 *
 * - One system message, first (Anthropic takes the system prompt apart from the turns).
 * - Every tool call of an assistant message is answered right after it, in the order of the
 *   calls (OpenAI and Anthropic both reject an unanswered call); a call with no recorded answer
 *   gets one saying so. A tool message answering no call before it is dropped (a trimmed
 *   transcript's orphan).
 * - No assistant message without text and without tool calls (Anthropic rejects empty content).
 * - The turns start with a user message and user messages are never adjacent (Anthropic's
 *   alternation); adjacent user texts are joined.
 */
export function shapeConversation(messages: readonly ChatMessage[]): ChatMessage[] {
  const system = messages.filter((message) => message.role === 'system').map((message) => message.text);
  const answers = firstAnswerByCallId(messages);
  const shaped: ChatMessage[] = system.length > 0 ? [{ role: 'system', text: system.join('\n\n') }] : [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'tool') continue;
    if (message.role === 'assistant') {
      if (message.text.trim() === '' && message.toolCalls.length === 0) continue;
      if (lastTurn(shaped) === undefined) shaped.push({ role: 'user', text: CONTINUATION });
      shaped.push(message);
      for (const call of message.toolCalls) {
        shaped.push(answers.get(call.id) ?? { role: 'tool', toolCallId: call.id, text: NO_RESULT });
        answers.delete(call.id);
      }
      continue;
    }
    const previous = shaped.at(-1);
    if (previous?.role === 'user')
      shaped[shaped.length - 1] = { role: 'user', text: `${previous.text}\n\n${message.text}` };
    else shaped.push(message);
  }
  return shaped;
}

/** What a call with no recorded result is answered with, so the model knows it did not run. */
export const NO_RESULT = JSON.stringify({
  error:
    'no result was recorded for this call (the turn was interrupted); call the tool again if you still need it',
});

/** What opens a conversation that would otherwise start with the assistant. */
const CONTINUATION = '(continuing the conversation)';

/** Each call id's first answer. */
function firstAnswerByCallId(messages: readonly ChatMessage[]): Map<string, ChatMessage> {
  const answers = new Map<string, ChatMessage>();
  for (const message of messages) {
    if (message.role === 'tool' && !answers.has(message.toolCallId)) answers.set(message.toolCallId, message);
  }
  return answers;
}

/** The last message that is a turn (not the system prompt). */
function lastTurn(messages: readonly ChatMessage[]): ChatMessage | undefined {
  const last = messages.at(-1);
  return last?.role === 'system' ? undefined : last;
}
