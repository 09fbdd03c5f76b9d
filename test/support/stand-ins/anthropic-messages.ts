/**
 * A strict local stand-in for the Anthropic Messages API: it refuses, with the real status and error body
 * `{"type": "error", "error": {type, message}, "request_id"}`, what the service documents refusing, and answers
 * valid requests with scripted replies in the real `Message` shape.
 *
 * Rules it enforces (source in brackets):
 * 1. `x-api-key` must equal the configured key: missing → 401 `authentication_error` "x-api-key header is
 *    required"; wrong → 401 "invalid x-api-key". [Errors page; API overview, "Authentication"]
 * 2. `anthropic-version` header is required → 400 "anthropic-version: header is required". [API overview,
 *    "Versions"]
 * 3. The body is JSON; `model` is required; an unknown model → 404 `not_found_error` "model: <name>". [Errors]
 * 4. `max_tokens` is required, an integer >= 0, and at most the model's output limit ("max_tokens: N > M,
 *    which is the maximum allowed number of output tokens for <model>"). [Messages API reference: max_tokens]
 * 5. `temperature` is within 0..1. [Messages API reference: temperature]
 * 6. `system` is top level (a string or text blocks, none empty); a message with role "system" → 400
 *    'Unexpected role "system". The Messages API accepts a top-level `system` parameter...'. Other roles than
 *    user/assistant are refused. [Messages API reference: messages, system]
 * 7. `messages` is required and non-empty; every message but an optional final assistant one has non-empty
 *    content. [Messages API reference: messages]
 * 8. Consecutive user or assistant messages are combined into one turn, as documented ("Consecutive `user` or
 *    `assistant` turns in your request will be combined into a single turn"), and the first turn must be
 *    `user` ('messages: first message must use the "user" role'). [Messages API reference: messages; the
 *    API's error text]
 * 9. Text blocks are non-empty ("text content blocks must be non-empty") and a message's text is not only
 *    whitespace ("text content blocks must contain non-whitespace text"); final assistant content may not end
 *    with whitespace ("final assistant content cannot end with trailing whitespace"). [the API's error texts]
 * 10. `tool_use` blocks only in assistant messages, `tool_result` blocks only in user messages. [Tool use docs]
 * 11. Every `tool_use` in an assistant turn is answered by a `tool_result` with its `tool_use_id` in the
 *    IMMEDIATELY following user turn, and the tool_result blocks come FIRST in that turn's content ("`tool_use`
 *    ids were found without `tool_result` blocks immediately after: ..."). [Tool use docs, "Handling tool use
 *    and tool result content blocks": "tool result blocks must immediately follow their corresponding tool use
 *    blocks" and "must come FIRST in the content array"]
 * 12. Every `tool_result` refers to a `tool_use` of the previous assistant turn ("unexpected `tool_use_id`
 *    found in `tool_result` blocks: ..."). [Tool use docs; the API's error text]
 * 13. Tools: `name` matches `^[a-zA-Z0-9_-]{1,64}$`, names are unique, `input_schema` is required with
 *    top-level `type: "object"` and no top-level oneOf/allOf/anyOf ("input_schema does not support oneOf,
 *    allOf, or anyOf at the top level"). [Messages API reference: tools; Tool use docs; the API's error texts]
 * 14. `tool_choice` is auto/any/tool/none, only with tools; `{type: "tool", name}` names a given tool; thinking
 *    may not be enabled when tool_choice forces tool use. [Tool use docs, "Forcing tool use"]
 * 15. Context window per model, with a rough estimate (characters / 4) of system + messages + tools: over the
 *    window → "prompt is too long: N tokens > M maximum"; prompt + max_tokens over it → "input length and
 *    `max_tokens` exceed context limit: ...". [Context windows docs; the API's error texts]
 * 16. `stream: true` → 400: the stand-in does not stream (ChatAnthropic's `invoke()` does not ask it to).
 * 17. Unknown routes → 404 `not_found_error`. [Errors page]
 * Faults a test injects with `enqueueError` use the same shapes, e.g. `anthropicErrorBody('overloaded_error',
 * 'Overloaded')` with 529, or `rate_limit_error` with 429 and `retry-after`. [Errors page]
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { invalidAnthropicRequest, newRequestId, rejectAnthropic } from './anthropic-errors.ts';
import {
  type AnthropicModelSpec,
  checkMessagesRequest,
  estimateInputTokens,
} from './anthropic-messages-checks.ts';
import { estimateTokens, type ReplyQueue, takeReply } from './reply-queue.ts';
import {
  assertToolOffered,
  type ScriptedStandIn,
  type StandInOptions,
  startScriptedStandIn,
} from './scripted-stand-in.ts';
import type { StandInRequest, StandInResponse } from './stand-in-server.ts';
import { isRecord } from './tool-schema-shape.ts';

export { anthropicErrorBody } from './anthropic-errors.ts';
export type { AnthropicModelSpec } from './anthropic-messages-checks.ts';

/** One scripted tool use. `id` defaults to a fresh `toolu_...`. */
export interface AnthropicScriptedToolUse {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly id?: string;
}

/**
 * A scripted reply: `text` (a text block), `toolUses` (tool_use blocks; the stand-in checks the tools were
 * offered), or `json`: when the request forces a tool (`tool_choice: {type: "tool", name}`, LangChain's
 * structured output) it becomes a tool_use of that tool with `json` as input, otherwise JSON text.
 * `stopReason` defaults to "tool_use" with tool uses and "end_turn" otherwise.
 */
export interface AnthropicReply {
  readonly text?: string;
  readonly toolUses?: readonly AnthropicScriptedToolUse[];
  readonly json?: unknown;
  readonly stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  readonly usage?: { readonly input_tokens: number; readonly output_tokens: number };
}

/**
 * Options: the key `x-api-key` must carry (default "sk-ant-stand-in"), the models served (default
 * `{ 'claude-sonnet-4-5': {} }`) and a default responder.
 */
export type AnthropicStandInOptions = StandInOptions<AnthropicModelSpec, AnthropicReply>;

export interface AnthropicStandIn extends ScriptedStandIn<AnthropicReply> {
  /** The same as `url`: what `anthropicApiUrl` of ChatAnthropic (or `baseURL` of the SDK) takes. */
  readonly baseURL: string;
  /** The parsed bodies of the Messages requests received, valid or not. */
  messageRequests(): Record<string, unknown>[];
}

/** Starts the stand-in on 127.0.0.1 and a free port. Call `stop()` when done. */
export async function startAnthropicStandIn(
  options: AnthropicStandInOptions = {},
): Promise<AnthropicStandIn> {
  const apiKey = options.apiKey ?? 'sk-ant-stand-in';
  const models = options.models ?? { 'claude-sonnet-4-5': {} };
  const standIn = await startScriptedStandIn<AnthropicReply>('Anthropic stand-in', apiKey, (request, queue) =>
    route(request, { apiKey, models, queue, defaultResponder: options.defaultResponder }),
  );
  return Object.assign(standIn, {
    baseURL: standIn.url,
    messageRequests: () => standIn.bodiesAt('/v1/messages'),
  });
}

interface RouteContext {
  readonly apiKey: string;
  readonly models: Readonly<Record<string, AnthropicModelSpec>>;
  readonly queue: ReplyQueue<AnthropicReply>;
  readonly defaultResponder: AnthropicStandInOptions['defaultResponder'];
}

async function route(request: StandInRequest, context: RouteContext): Promise<StandInResponse> {
  const endpoint = `${request.method} ${request.path}`;
  if (endpoint !== 'POST /v1/messages' && endpoint !== 'GET /v1/models')
    rejectAnthropic(404, 'not_found_error', 'Not Found');
  checkHeaders(request.headers, context.apiKey);
  if (endpoint === 'GET /v1/models') return listModels(context.models);
  if (request.bodyIsInvalidJson || !isRecord(request.body)) {
    invalidAnthropicRequest('There was an issue with the format of your request: the body is not valid JSON');
  }
  const body = request.body;
  const model = body.model;
  if (typeof model !== 'string') invalidAnthropicRequest('model: Field required');
  const spec = context.models[model];
  if (!spec) rejectAnthropic(404, 'not_found_error', `model: ${model}`);
  checkMessagesRequest(body, model, spec);
  const reply = await takeReply(context.queue, context.defaultResponder, { body, headers: request.headers });
  return { status: 200, body: message(body, model, reply), headers: { 'request-id': newRequestId() } };
}

function checkHeaders(headers: IncomingHttpHeaders, apiKey: string): void {
  const key = headers['x-api-key'];
  if (key === undefined) rejectAnthropic(401, 'authentication_error', 'x-api-key header is required');
  if (key !== apiKey) rejectAnthropic(401, 'authentication_error', 'invalid x-api-key');
  if (headers['anthropic-version'] === undefined)
    invalidAnthropicRequest('anthropic-version: header is required');
}

function listModels(models: Readonly<Record<string, AnthropicModelSpec>>): StandInResponse {
  const data = Object.keys(models).map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2025-01-01T00:00:00Z',
  }));
  return {
    status: 200,
    body: { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null },
  };
}

/** The reply in the Messages response shape; refuses (500) a reply the request makes impossible. */
function message(body: Record<string, unknown>, model: string, reply: AnthropicReply) {
  const content = replyContent(body, reply);
  if (content.length === 0) throw new Error('a scripted reply needs text, json or toolUses');
  const usesTools = content.some((block) => block.type === 'tool_use');
  return {
    id: `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.stopReason ?? (usesTools ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: reply.usage ?? {
      input_tokens: estimateInputTokens(body),
      output_tokens: Math.max(1, estimateTokens(content)),
    },
  };
}

function replyContent(body: Record<string, unknown>, reply: AnthropicReply): Record<string, unknown>[] {
  const forced =
    isRecord(body.tool_choice) && body.tool_choice.type === 'tool'
      ? String(body.tool_choice.name)
      : undefined;
  const toolUses = [...(reply.toolUses ?? [])];
  let text = reply.text;
  if (reply.json !== undefined && forced)
    toolUses.push({ name: forced, input: reply.json as Record<string, unknown> });
  else if (reply.json !== undefined) text = JSON.stringify(reply.json);
  const blocks: Record<string, unknown>[] = text === undefined ? [] : [{ type: 'text', text }];
  return [...blocks, ...toolUses.map((use) => scriptedToolUse(use, body))];
}

function scriptedToolUse(use: AnthropicScriptedToolUse, body: Record<string, unknown>) {
  assertToolOffered(body.tools, (tool) => (isRecord(tool) ? tool.name : undefined), use.name);
  return {
    type: 'tool_use',
    id: use.id ?? `toolu_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    name: use.name,
    input: use.input,
  };
}
