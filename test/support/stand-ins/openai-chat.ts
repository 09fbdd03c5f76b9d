/**
 * A strict local stand-in for the OpenAI Chat Completions API (and OpenAI-compatible servers such as Ollama,
 * vLLM, LM Studio): it refuses, with the real status and error body `{"error": {message, type, param, code}}`,
 * what the service documents refusing, and answers valid requests with scripted replies in the real shape.
 *
 * Rules it enforces (source in brackets):
 * 1. `Authorization: Bearer <key>` must carry the configured key: missing → 401 "You didn't provide an API
 *    key..."; wrong → 401 `invalid_api_key` "Incorrect API key provided: ...". [Error codes; API reference,
 *    "Authentication"]
 * 2. The body must be JSON → 400 "We could not parse the JSON body of your request...". [Error codes]
 * 3. `model` is required ("you must provide a model parameter"); a model the server does not serve → 404
 *    `model_not_found` "The model `x` does not exist or you do not have access to it.". [Error codes]
 * 4. `messages` is required and non-empty (`empty_array`). [Chat Completions API reference: messages]
 * 5. Every message has a role among system, developer, user, assistant, tool, function (`invalid_value`);
 *    content may be null only on an assistant message with `tool_calls`. [API reference: messages]
 * 6. Every assistant `tool_calls[i].id` is answered by a `tool` message with that `tool_call_id` before the
 *    next non-tool message: "An assistant message with 'tool_calls' must be followed by tool messages
 *    responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ...".
 *    [Function calling guide, "Handling function calls"; the API's error text]
 * 7. A `tool` message answers a call of the assistant message it follows: "messages with role 'tool' must be
 *    a response to a preceeding message with 'tool_calls'" or "'tool_call_id' of 'x' not found in
 *    'tool_calls' of previous message". [Function calling guide; the API's error text]
 * 8. Tools: `type: "function"`; `function.name` matches `^[a-zA-Z0-9_-]+$` and is at most 64 characters
 *    (also for names in assistant `tool_calls`). [API reference: tools.function.name "a-z, A-Z, 0-9,
 *    underscores and dashes, maximum length of 64"]
 * 9. `function.parameters` is a JSON Schema with top-level `type: "object"` ("schema must be a JSON Schema of
 *    'type: "object"', got 'type: "None"'") and no top-level oneOf/anyOf/allOf/enum/not.
 *    [Function calling guide, "Defining functions"; the API's `invalid_function_parameters` errors]
 * 10. `strict: true` (on a function, or `response_format: {type: "json_schema", json_schema: {strict: true}}`)
 *    applies the Structured Outputs rules of `openai-strict-schema.ts`: object root, `additionalProperties:
 *    false` on every object, every property in `required`, no unsupported keywords. [Structured Outputs
 *    guide, "Supported schemas"]
 * 11. `response_format.type` is text, json_object or json_schema; json_schema needs `json_schema.name`
 *    (`^[a-zA-Z0-9_-]{1,64}$`); json_object needs the word "json" in the messages. [API reference:
 *    response_format; Structured Outputs guide, "JSON mode"]
 * 12. `tool_choice` and `parallel_tool_calls` only with tools; a named `tool_choice` names a given function.
 *    [API reference: tool_choice, parallel_tool_calls]
 * 13. `max_tokens` / `max_completion_tokens` are integers >= 1 (`integer_below_min_value`). [API reference]
 * 14. Context window per model: estimated prompt (characters / 4) plus the requested completion must fit, else
 *    400 `context_length_exceeded` "This model's maximum context length is N tokens. However, your messages
 *    resulted in M tokens...". [Error codes; the API's error text]
 * 15. A model flagged `tools: false` refuses any `tools` with 400 `{"message": "<model> does not support
 *    tools", "type": "api_error"}`, as Ollama's OpenAI-compatible endpoint does. [ollama/ollama#5793, #6027]
 * 16. A model flagged `jsonSchema: false` refuses `response_format: json_schema` (a server without Structured
 *    Outputs).
 * 17. `stream: true` → 400: the stand-in does not stream (LangChain's `invoke()` does not ask it to).
 * 18. POST /v1/responses → 404 "Invalid URL (POST /v1/responses)", like an OpenAI-compatible server without
 *    the Responses API; any other unknown route → 404 the same way. [OpenAI's answer to unknown URLs]
 */

import { randomUUID } from 'node:crypto';
import { checkChatRequest, estimatePromptTokens, type OpenAiModelSpec } from './openai-chat-checks.ts';
import { checkOpenAiApiKey, invalidOpenAiRequest, rejectOpenAi } from './openai-errors.ts';
import { estimateTokens, type ReplyQueue, takeReply } from './reply-queue.ts';
import {
  assertToolOffered,
  type ScriptedStandIn,
  type StandInOptions,
  startScriptedStandIn,
} from './scripted-stand-in.ts';
import type { StandInRequest, StandInResponse } from './stand-in-server.ts';
import { isRecord } from './tool-schema-shape.ts';

export type { OpenAiModelSpec } from './openai-chat-checks.ts';

/** One scripted tool call; `arguments` is sent as JSON text. `id` defaults to a fresh `call_...`. */
export interface OpenAiScriptedToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
  readonly id?: string;
}

/**
 * A scripted reply. `text` answers in prose, `toolCalls` calls tools (the stand-in checks they were offered),
 * `json` answers with that value as JSON text (structured output). `finishReason` defaults to "tool_calls"
 * when there are tool calls and "stop" otherwise; "length" simulates a cut-off answer.
 */
export interface OpenAiReply {
  readonly text?: string;
  readonly toolCalls?: readonly OpenAiScriptedToolCall[];
  readonly json?: unknown;
  readonly finishReason?: 'stop' | 'tool_calls' | 'length';
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number };
}

/**
 * Options: the key `Authorization: Bearer` must carry (default "sk-stand-in"), the models served (default
 * `{ 'gpt-4o-mini': {} }`) and a default responder.
 */
export type OpenAiStandInOptions = StandInOptions<OpenAiModelSpec, OpenAiReply>;

export interface OpenAiStandIn extends ScriptedStandIn<OpenAiReply> {
  /** `<url>/v1`, what `configuration.baseURL` of ChatOpenAI (or the openai SDK) takes. */
  readonly baseURL: string;
  /** The parsed bodies of the chat completion requests received, valid or not. */
  chatRequests(): Record<string, unknown>[];
}

/** Starts the stand-in on 127.0.0.1 and a free port. Call `stop()` when done. */
export async function startOpenAiStandIn(options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> {
  const apiKey = options.apiKey ?? 'sk-stand-in';
  const models = options.models ?? { 'gpt-4o-mini': {} };
  const standIn = await startScriptedStandIn<OpenAiReply>('OpenAI stand-in', apiKey, (request, queue) =>
    route(request, { apiKey, models, queue, defaultResponder: options.defaultResponder }),
  );
  return Object.assign(standIn, {
    baseURL: `${standIn.url}/v1`,
    chatRequests: () => standIn.bodiesAt('/v1/chat/completions'),
  });
}

interface RouteContext {
  readonly apiKey: string;
  readonly models: Readonly<Record<string, OpenAiModelSpec>>;
  readonly queue: ReplyQueue<OpenAiReply>;
  readonly defaultResponder: OpenAiStandInOptions['defaultResponder'];
}

async function route(request: StandInRequest, context: RouteContext): Promise<StandInResponse> {
  const endpoint = `${request.method} ${request.path}`;
  if (endpoint !== 'POST /v1/chat/completions' && endpoint !== 'GET /v1/models') {
    rejectOpenAi(404, `Invalid URL (${endpoint})`);
  }
  checkOpenAiApiKey(request.headers.authorization, context.apiKey);
  if (endpoint === 'GET /v1/models') return listModels(context.models);
  if (request.bodyIsInvalidJson || !isRecord(request.body)) {
    invalidOpenAiRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  const body = request.body;
  const modelName = body.model;
  if (typeof modelName !== 'string' || modelName === '')
    invalidOpenAiRequest('you must provide a model parameter');
  const spec = context.models[modelName];
  if (!spec) {
    rejectOpenAi(404, `The model \`${modelName}\` does not exist or you do not have access to it.`, {
      code: 'model_not_found',
    });
  }
  checkChatRequest(body, modelName, spec);
  const reply = await takeReply(context.queue, context.defaultResponder, { body, headers: request.headers });
  return {
    status: 200,
    body: chatCompletion(body, modelName, reply),
    headers: { 'x-request-id': `req_${randomUUID()}` },
  };
}

function listModels(models: Readonly<Record<string, OpenAiModelSpec>>): StandInResponse {
  const data = Object.keys(models).map((id) => ({
    id,
    object: 'model',
    created: 1_700_000_000,
    owned_by: 'stand-in',
  }));
  return { status: 200, body: { object: 'list', data } };
}

/** The reply in the Chat Completions response shape; refuses (500) a reply the request makes impossible. */
function chatCompletion(body: Record<string, unknown>, model: string, reply: OpenAiReply) {
  const toolCalls = (reply.toolCalls ?? []).map((call) => scriptedToolCall(call, body));
  const content = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? null);
  if (content === null && toolCalls.length === 0)
    throw new Error('a scripted reply needs text, json or toolCalls');
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const promptTokens = reply.usage?.prompt_tokens ?? estimatePromptTokens(body);
  const completionTokens =
    reply.usage?.completion_tokens ?? Math.max(1, estimateTokens(content) + estimateTokens(toolCalls));
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    system_fingerprint: 'fp_stand_in',
  };
}

function scriptedToolCall(call: OpenAiScriptedToolCall, body: Record<string, unknown>) {
  const nameOf = (tool: unknown) =>
    isRecord(tool) && isRecord(tool.function) ? tool.function.name : undefined;
  assertToolOffered(body.tools, nameOf, call.name);
  return {
    id: call.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  };
}
