import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OpenAI chat completions request as the stub sees it. */
export interface ChatRequest {
  messages: { role: string; content?: unknown; tool_calls?: unknown[] }[];
}

export interface ChatStub {
  /** The base URL to configure an `openai` model with. */
  baseURL: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

/** What to answer: an HTTP status and body, or `hold` to never answer the request. */
export type ChatReply = { status: number; body: unknown } | 'hold';

/** An OpenAI-compatible endpoint on localhost answering each request as `reply` says. */
export async function startChatStub(
  reply: (request: ChatRequest, index: number) => ChatReply,
): Promise<ChatStub> {
  const requests: ChatRequest[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    requests.push(request);
    const answer = reply(request, requests.length - 1);
    if (answer === 'hold') return;
    outgoing.writeHead(answer.status, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A chat completion: a text answer, or calls of tools by name. */
export function completion(answer: { text: string } | { toolCalls: string[] }) {
  const message =
    'text' in answer
      ? { role: 'assistant', content: answer.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: answer.toolCalls.map((name, index) => ({
            id: `call_${index + 1}`,
            type: 'function',
            function: { name, arguments: '{}' },
          })),
        };
  return {
    status: 200,
    body: {
      id: 'chatcmpl-stub',
      object: 'chat.completion',
      created: 1,
      model: 'stub',
      choices: [{ index: 0, message, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    },
  };
}

/** A provider error response. */
export function failure(status: number) {
  return { status, body: { error: { message: `stub says ${status}`, type: 'server_error' } } };
}
