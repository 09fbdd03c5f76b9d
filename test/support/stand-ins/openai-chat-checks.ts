import { invalidOpenAiRequest, rejectOpenAi } from './openai-errors.ts';
import { strictSchemaProblem } from './openai-strict-schema.ts';
import { estimateTokens } from './reply-queue.ts';
import { isRecord, toolSchemaShapeProblem } from './tool-schema-shape.ts';

/**
 * The body checks of the OpenAI Chat Completions stand-in. The rules and their sources are listed at the top
 * of `openai-chat.ts`; each check throws the API's own 4xx error (see `openai-errors.ts`).
 */

/** What the stand-in knows about one model it serves. */
export interface OpenAiModelSpec {
  /** Context window in tokens (prompt estimate + requested completion must fit). Default 128 000. */
  readonly contextWindow?: number;
  /** False for a model served without tool support (answers like Ollama: "<model> does not support tools"). */
  readonly tools?: boolean;
  /** False for a server without Structured Outputs (`response_format: json_schema` is refused). */
  readonly jsonSchema?: boolean;
}

const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const toolNamePattern = /^[a-zA-Z0-9_-]+$/;

/** Runs every body rule in the order the API reports them. */
export function checkChatRequest(
  body: Record<string, unknown>,
  modelName: string,
  spec: OpenAiModelSpec,
): void {
  if (body.stream === true) {
    invalidOpenAiRequest(
      'This stand-in does not stream: send stream: false (LangChain ChatOpenAI.invoke does not stream by default).',
      'stream',
      'unsupported_value',
    );
  }
  checkMessages(body.messages);
  checkTools(body, modelName, spec);
  checkResponseFormat(body, spec);
  checkTokenLimits(body);
  checkContextWindow(body, spec.contextWindow ?? 128_000);
}

function checkMessages(messages: unknown): asserts messages is Record<string, unknown>[] {
  if (messages === undefined)
    invalidOpenAiRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(messages))
    invalidOpenAiRequest(
      "Invalid type for 'messages': expected an array of objects.",
      'messages',
      'invalid_type',
    );
  if (messages.length === 0) {
    invalidOpenAiRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  for (const [index, message] of messages.entries()) checkMessage(message, index);
  checkToolCallPairing(messages as Record<string, unknown>[]);
}

function checkMessage(message: unknown, index: number): void {
  if (!isRecord(message))
    invalidOpenAiRequest(
      `Invalid type for 'messages[${index}]': expected an object.`,
      `messages[${index}]`,
      'invalid_type',
    );
  const role = message.role;
  if (typeof role !== 'string' || !(roles as readonly string[]).includes(role)) {
    invalidOpenAiRequest(
      `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
      `messages[${index}].role`,
      'invalid_value',
    );
  }
  const hasToolCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  const content = message.content;
  const contentMayBeNull = role === 'assistant' && (hasToolCalls || message.function_call !== undefined);
  if ((content === null || content === undefined) && !contentMayBeNull) {
    invalidOpenAiRequest(
      `Invalid value for 'content': expected a string, got ${content === undefined ? 'undefined' : 'null'}.`,
      `messages.[${index}].content`,
    );
  }
  if (role === 'tool' && typeof message.tool_call_id !== 'string') {
    invalidOpenAiRequest(
      `Missing required parameter: 'messages[${index}].tool_call_id'.`,
      `messages[${index}].tool_call_id`,
      'missing_required_parameter',
    );
  }
  if (hasToolCalls) checkAssistantToolCalls(message.tool_calls as unknown[], index);
}

function checkAssistantToolCalls(toolCalls: unknown[], index: number): void {
  for (const [callIndex, call] of toolCalls.entries()) {
    const name = isRecord(call) && isRecord(call.function) ? call.function.name : undefined;
    if (!isRecord(call) || typeof call.id !== 'string' || typeof name !== 'string') {
      invalidOpenAiRequest(
        `Missing required parameter: 'messages[${index}].tool_calls[${callIndex}].id'.`,
        `messages[${index}].tool_calls[${callIndex}]`,
        'missing_required_parameter',
      );
    }
    if (!toolNamePattern.test(name)) {
      invalidOpenAiRequest(
        `Invalid 'messages[${index}].tool_calls[${callIndex}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `messages[${index}].tool_calls[${callIndex}].function.name`,
        'invalid_value',
      );
    }
  }
}

/**
 * Every assistant `tool_calls[i].id` must be answered by a `tool` message with that `tool_call_id` before the
 * next non-tool message; a `tool` message must answer a call of the assistant message it follows.
 */
function checkToolCallPairing(messages: readonly Record<string, unknown>[]): void {
  let open: { index: number; ids: Set<string> } | undefined;
  let lastCalls: Set<string> | undefined;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      if (!lastCalls) {
        invalidOpenAiRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
        );
      }
      if (!lastCalls.has(id)) {
        invalidOpenAiRequest(
          `Invalid parameter: 'tool_call_id' of '${id}' not found in 'tool_calls' of previous message.`,
          `messages.[${index}].tool_call_id`,
        );
      }
      open?.ids.delete(id);
      continue;
    }
    if (open && open.ids.size > 0) unansweredToolCalls(open.index, open.ids);
    const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
    const ids = calls.map((call) => (isRecord(call) ? String(call.id) : ''));
    lastCalls = message.role === 'assistant' && ids.length > 0 ? new Set(ids) : undefined;
    open = lastCalls ? { index, ids: new Set(ids) } : undefined;
  }
  if (open && open.ids.size > 0) unansweredToolCalls(open.index, open.ids);
}

function unansweredToolCalls(index: number, ids: ReadonlySet<string>): never {
  return invalidOpenAiRequest(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...ids].join(', ')}`,
    `messages.[${index}].role`,
  );
}

function checkTools(body: Record<string, unknown>, modelName: string, spec: OpenAiModelSpec): void {
  const tools = body.tools;
  if (tools === undefined || (Array.isArray(tools) && tools.length === 0)) {
    if (body.tool_choice !== undefined && body.tool_choice !== 'none') {
      invalidOpenAiRequest(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        'tool_choice',
      );
    }
    if (body.parallel_tool_calls !== undefined) {
      invalidOpenAiRequest(
        "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.",
        'parallel_tool_calls',
      );
    }
    return;
  }
  if (!Array.isArray(tools))
    invalidOpenAiRequest("Invalid type for 'tools': expected an array of objects.", 'tools', 'invalid_type');
  if (spec.tools === false) rejectOpenAi(400, `${modelName} does not support tools`, { type: 'api_error' });
  const names = tools.map((tool, index) => checkTool(tool, index));
  checkToolChoice(body.tool_choice, names);
}

function checkTool(tool: unknown, index: number): string {
  if (!isRecord(tool) || tool.type !== 'function') {
    const type = isRecord(tool) ? String(tool.type) : String(tool);
    invalidOpenAiRequest(
      `Invalid value: '${type}'. Supported values are: 'function' and 'custom'.`,
      `tools[${index}].type`,
      'invalid_value',
    );
  }
  const fn = tool.function;
  if (!isRecord(fn) || typeof fn.name !== 'string') {
    invalidOpenAiRequest(
      `Missing required parameter: 'tools[${index}].function.name'.`,
      `tools[${index}].function.name`,
      'missing_required_parameter',
    );
  }
  const name = fn.name;
  if (!toolNamePattern.test(name)) {
    invalidOpenAiRequest(
      `Invalid 'tools[${index}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      `tools[${index}].function.name`,
      'invalid_value',
    );
  }
  if (name.length > 64) {
    invalidOpenAiRequest(
      `Invalid 'tools[${index}].function.name': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`,
      `tools[${index}].function.name`,
      'string_above_max_length',
    );
  }
  if (fn.parameters !== undefined) checkFunctionParameters(name, fn.parameters, fn.strict === true, index);
  return name;
}

function checkFunctionParameters(name: string, parameters: unknown, strict: boolean, index: number): void {
  const param = `tools[${index}].function.parameters`;
  const shape = toolSchemaShapeProblem(parameters);
  if (shape?.kind === 'not-a-schema') {
    invalidOpenAiRequest(
      `Invalid schema for function '${name}': ${JSON.stringify(parameters)} is not of type 'object', 'boolean'.`,
      param,
      'invalid_function_parameters',
    );
  }
  if (shape?.kind === 'not-object') {
    const type = shape.type === undefined ? 'None' : String(shape.type);
    invalidOpenAiRequest(
      `Invalid schema for function '${name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${type}"'.`,
      param,
      'invalid_function_parameters',
    );
  }
  if (shape?.kind === 'top-level-keyword') {
    invalidOpenAiRequest(
      `Invalid schema for function '${name}': schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'not' at the top level.`,
      param,
      'invalid_function_parameters',
    );
  }
  const problem = strict ? strictSchemaProblem(parameters) : undefined;
  if (problem)
    invalidOpenAiRequest(
      `Invalid schema for function '${name}': ${problem}`,
      param,
      'invalid_function_parameters',
    );
}

function checkToolChoice(choice: unknown, names: readonly string[]): void {
  if (choice === undefined || choice === 'none' || choice === 'auto' || choice === 'required') return;
  if (!isRecord(choice) || choice.type !== 'function' || !isRecord(choice.function)) {
    invalidOpenAiRequest(
      "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or an object {type: 'function', function: {name}}.",
      'tool_choice',
      'invalid_value',
    );
  }
  const name = String(choice.function.name);
  if (!names.includes(name)) {
    invalidOpenAiRequest(
      `Invalid value for 'tool_choice': function '${name}' is not among the provided tools.`,
      'tool_choice',
      'invalid_value',
    );
  }
}

function checkResponseFormat(body: Record<string, unknown>, spec: OpenAiModelSpec): void {
  const format = body.response_format;
  if (format === undefined || format === null) return;
  const type = isRecord(format) ? format.type : undefined;
  if (type === 'text') return;
  if (type === 'json_object') {
    checkJsonWordPresent(body.messages as unknown[]);
    return;
  }
  if (type !== 'json_schema') {
    invalidOpenAiRequest(
      `Invalid value: '${String(type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
      'response_format.type',
      'invalid_value',
    );
  }
  if (spec.jsonSchema === false) {
    invalidOpenAiRequest(
      "Invalid value: 'json_schema'. This model does not support 'response_format' of type 'json_schema'.",
      'response_format.type',
      'invalid_value',
    );
  }
  const jsonSchema = isRecord(format) ? format.json_schema : undefined;
  if (!isRecord(jsonSchema)) {
    invalidOpenAiRequest(
      "Missing required parameter: 'response_format.json_schema'.",
      'response_format.json_schema',
      'missing_required_parameter',
    );
  }
  const name = jsonSchema.name;
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    invalidOpenAiRequest(
      "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
      'response_format.json_schema.name',
      'invalid_value',
    );
  }
  const problem = jsonSchema.strict === true ? strictSchemaProblem(jsonSchema.schema) : undefined;
  if (problem)
    invalidOpenAiRequest(
      `Invalid schema for response_format '${name}': ${problem}`,
      'response_format',
      'invalid_json_schema',
    );
}

/** JSON mode needs the word "json" somewhere in the messages. */
function checkJsonWordPresent(messages: readonly unknown[]): void {
  if (JSON.stringify(messages).toLowerCase().includes('json')) return;
  invalidOpenAiRequest(
    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
    'messages',
  );
}

function checkTokenLimits(body: Record<string, unknown>): void {
  for (const key of ['max_tokens', 'max_completion_tokens'] as const) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      invalidOpenAiRequest(
        `Invalid type for '${key}': expected an integer, but got ${typeof value} instead.`,
        key,
        'invalid_type',
      );
    }
    if (value < 1) {
      invalidOpenAiRequest(
        `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
        key,
        'integer_below_min_value',
      );
    }
  }
}

/** The estimated prompt (messages + tools + response format) and the requested completion must fit the window. */
function checkContextWindow(body: Record<string, unknown>, window: number): void {
  const prompt = estimatePromptTokens(body);
  const completion = Number(body.max_completion_tokens ?? body.max_tokens ?? 0);
  if (prompt + completion <= window) return;
  const message =
    completion > 0
      ? `This model's maximum context length is ${window} tokens. However, you requested ${prompt + completion} tokens (${prompt} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`
      : `This model's maximum context length is ${window} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`;
  invalidOpenAiRequest(message, 'messages', 'context_length_exceeded');
}

export function estimatePromptTokens(body: Record<string, unknown>): number {
  return estimateTokens(body.messages) + estimateTokens(body.tools) + estimateTokens(body.response_format);
}
