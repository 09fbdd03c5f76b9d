import { invalidAnthropicRequest } from './anthropic-errors.ts';
import { estimateTokens } from './reply-queue.ts';
import { isRecord, toolSchemaShapeProblem } from './tool-schema-shape.ts';

/**
 * The body checks of the Anthropic Messages stand-in. The rules and their sources are listed at the top of
 * `anthropic-messages.ts`; each check throws the API's own 400 `invalid_request_error`.
 */

/** What the stand-in knows about one model it serves. */
export interface AnthropicModelSpec {
  /** Context window in tokens. Default 200 000. */
  readonly contextWindow?: number;
  /** Largest `max_tokens` the model accepts. Default 64 000. */
  readonly maxOutputTokens?: number;
}

type Block = Record<string, unknown>;

/** Consecutive messages of one role, merged as the API does; `index` is the last original message's index. */
interface Turn {
  readonly role: 'user' | 'assistant';
  readonly index: number;
  readonly blocks: Block[];
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** Runs every body rule in the order the API reports them. */
export function checkMessagesRequest(
  body: Record<string, unknown>,
  model: string,
  spec: AnthropicModelSpec,
): void {
  if (body.stream === true) {
    invalidAnthropicRequest(
      'stream: This stand-in does not stream; send stream: false (ChatAnthropic.invoke does not stream).',
    );
  }
  const maxTokens = checkMaxTokens(body.max_tokens, model, spec.maxOutputTokens ?? 64_000);
  checkTemperature(body.temperature);
  checkSystem(body.system);
  checkTurns(mergeTurns(checkMessages(body.messages)));
  const toolNames = checkTools(body.tools);
  checkToolChoice(body, toolNames);
  checkContextWindow(body, maxTokens, spec.contextWindow ?? 200_000);
}

function checkMaxTokens(value: unknown, model: string, maximum: number): number {
  if (value === undefined) invalidAnthropicRequest('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value))
    invalidAnthropicRequest('max_tokens: Input should be a valid integer');
  if (value < 0) invalidAnthropicRequest('max_tokens: Input should be greater than or equal to 0');
  if (value > maximum) {
    invalidAnthropicRequest(
      `max_tokens: ${value} > ${maximum}, which is the maximum allowed number of output tokens for ${model}`,
    );
  }
  return value;
}

function checkTemperature(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number') invalidAnthropicRequest('temperature: Input should be a valid number');
  if (value < 0) invalidAnthropicRequest('temperature: Input should be greater than or equal to 0');
  if (value > 1) invalidAnthropicRequest('temperature: Input should be less than or equal to 1');
}

function checkSystem(system: unknown): void {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system))
    invalidAnthropicRequest('system: Input should be a valid string or a list of text blocks');
  for (const [index, block] of system.entries()) {
    if (!isRecord(block) || block.type !== 'text')
      invalidAnthropicRequest(`system.${index}.type: Input should be 'text'`);
    if (block.text === '') invalidAnthropicRequest('system: text content blocks must be non-empty');
  }
}

/** Checks each message on its own and returns its content as blocks. */
function checkMessages(messages: unknown): { role: 'user' | 'assistant'; index: number; blocks: Block[] }[] {
  if (messages === undefined) invalidAnthropicRequest('messages: Field required');
  if (!Array.isArray(messages)) invalidAnthropicRequest('messages: Input should be a valid list');
  if (messages.length === 0) invalidAnthropicRequest('messages: at least one message is required');
  return messages.map((message, index) => {
    if (!isRecord(message)) invalidAnthropicRequest(`messages.${index}: Input should be a valid dictionary`);
    const role = message.role;
    if (role === 'system') {
      invalidAnthropicRequest(
        'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
      );
    }
    if (role !== 'user' && role !== 'assistant')
      invalidAnthropicRequest(`messages.${index}.role: Input should be 'user' or 'assistant'`);
    const blocks = contentBlocks(message.content, index);
    const isFinal = index === messages.length - 1;
    if (blocks.length === 0 && !(isFinal && role === 'assistant')) {
      invalidAnthropicRequest(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    checkBlocks(blocks, role, index);
    return { role, index, blocks };
  });
}

function contentBlocks(content: unknown, index: number): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content === undefined) invalidAnthropicRequest(`messages.${index}.content: Field required`);
  if (!Array.isArray(content))
    invalidAnthropicRequest(`messages.${index}.content: Input should be a valid list`);
  return content.map((block, blockIndex) => {
    if (!isRecord(block) || typeof block.type !== 'string') {
      invalidAnthropicRequest(
        `messages.${index}.content.${blockIndex}: Input should be a valid dictionary with a 'type'`,
      );
    }
    return block;
  });
}

function checkBlocks(blocks: readonly Block[], role: 'user' | 'assistant', index: number): void {
  for (const [blockIndex, block] of blocks.entries()) {
    const where = `messages.${index}.content.${blockIndex}`;
    if (block.type === 'text' && typeof block.text !== 'string')
      invalidAnthropicRequest(`${where}.text: Field required`);
    if (block.type === 'text' && block.text === '')
      invalidAnthropicRequest('messages: text content blocks must be non-empty');
    if (block.type === 'tool_use') {
      if (role !== 'assistant')
        invalidAnthropicRequest(`${where}: \`tool_use\` blocks can only be in \`assistant\` messages`);
      if (typeof block.id !== 'string' || typeof block.name !== 'string' || !isRecord(block.input)) {
        invalidAnthropicRequest(
          `${where}: \`tool_use\` blocks need a string \`id\`, a string \`name\` and an object \`input\``,
        );
      }
    }
    if (block.type === 'tool_result') {
      if (role !== 'user')
        invalidAnthropicRequest(`${where}: \`tool_result\` blocks can only be in \`user\` messages`);
      if (typeof block.tool_use_id !== 'string')
        invalidAnthropicRequest(`${where}.tool_use_id: Field required`);
    }
  }
  const texts = blocks.filter((block) => block.type === 'text').map((block) => String(block.text));
  if (texts.length > 0 && texts.every((text) => text.trim() === '')) {
    invalidAnthropicRequest('messages: text content blocks must contain non-whitespace text');
  }
}

/** "Consecutive user or assistant turns in your request will be combined into a single turn." */
function mergeTurns(
  messages: readonly { role: 'user' | 'assistant'; index: number; blocks: Block[] }[],
): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    const last = turns.at(-1);
    if (last?.role === message.role)
      turns[turns.length - 1] = {
        ...last,
        index: message.index,
        blocks: [...last.blocks, ...message.blocks],
      };
    else turns.push({ ...message });
  }
  return turns;
}

function checkTurns(turns: readonly Turn[]): void {
  if (turns[0]?.role !== 'user') invalidAnthropicRequest('messages: first message must use the "user" role');
  for (const [position, turn] of turns.entries()) {
    if (turn.role === 'assistant') checkToolUsesAnswered(turn, turns[position + 1]);
    else checkToolResultsAnswerPrevious(turn, turns[position - 1]);
  }
  const last = turns.at(-1);
  const lastBlock = last?.blocks.at(-1);
  if (last?.role === 'assistant' && lastBlock?.type === 'text' && /\s$/.test(String(lastBlock.text))) {
    invalidAnthropicRequest('messages: final assistant content cannot end with trailing whitespace');
  }
}

/** Every `tool_use` is answered by a `tool_result` at the start of the immediately following user turn. */
function checkToolUsesAnswered(turn: Turn, next: Turn | undefined): void {
  const ids = turn.blocks.filter((block) => block.type === 'tool_use').map((block) => String(block.id));
  if (ids.length === 0) return;
  const leading = next ? leadingToolResultIds(next.blocks) : new Set<string>();
  const missing = ids.filter((id) => !leading.has(id));
  if (missing.length === 0) return;
  invalidAnthropicRequest(
    `messages.${turn.index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
  );
}

/** The ids of the tool_result blocks that come first in a user turn (a text block ends the run). */
function leadingToolResultIds(blocks: readonly Block[]): Set<string> {
  const ids = new Set<string>();
  for (const block of blocks) {
    if (block.type !== 'tool_result') break;
    ids.add(String(block.tool_use_id));
  }
  return ids;
}

/** Every `tool_result` answers a `tool_use` of the previous assistant turn. */
function checkToolResultsAnswerPrevious(turn: Turn, previous: Turn | undefined): void {
  const offered = new Set(
    (previous?.blocks ?? []).filter((block) => block.type === 'tool_use').map((block) => String(block.id)),
  );
  for (const [blockIndex, block] of turn.blocks.entries()) {
    if (block.type !== 'tool_result' || offered.has(String(block.tool_use_id))) continue;
    invalidAnthropicRequest(
      `messages.${turn.index}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
    );
  }
}

/** Checks the custom tools and returns their names. Versioned server tools (`type: "web_search_20250305"`) pass. */
function checkTools(tools: unknown): string[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) invalidAnthropicRequest('tools: Input should be a valid list');
  const names = tools.map((tool, index) => checkTool(tool, index));
  if (new Set(names).size !== names.length) invalidAnthropicRequest('tools: Tool names must be unique.');
  return names;
}

function checkTool(tool: unknown, index: number): string {
  if (!isRecord(tool)) invalidAnthropicRequest(`tools.${index}: Input should be a valid dictionary`);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    if (typeof tool.type === 'string' && /_\d{8}$/.test(tool.type)) return String(tool.name);
    invalidAnthropicRequest(
      `tools.${index}.type: Input tag '${String(tool.type)}' does not match any of the expected tags`,
    );
  }
  const name = tool.name;
  if (typeof name !== 'string') invalidAnthropicRequest(`tools.${index}.custom.name: Field required`);
  if (!toolNamePattern.test(name)) {
    invalidAnthropicRequest(
      `tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`,
    );
  }
  if (tool.input_schema === undefined)
    invalidAnthropicRequest(`tools.${index}.custom.input_schema: Field required`);
  const shape = toolSchemaShapeProblem(tool.input_schema);
  if (shape?.kind === 'not-a-schema')
    invalidAnthropicRequest(`tools.${index}.custom.input_schema: Input should be a valid dictionary`);
  if (shape?.kind === 'not-object')
    invalidAnthropicRequest(`tools.${index}.custom.input_schema.type: Input should be 'object'`);
  if (shape?.kind === 'top-level-keyword' && ['oneOf', 'anyOf', 'allOf'].includes(shape.keyword)) {
    invalidAnthropicRequest(
      `tools.${index}.custom.input_schema: input_schema does not support oneOf, allOf, or anyOf at the top level`,
    );
  }
  return name;
}

function checkToolChoice(body: Record<string, unknown>, toolNames: readonly string[]): void {
  const choice = body.tool_choice;
  if (choice === undefined) return;
  const type = isRecord(choice) ? choice.type : undefined;
  if (type !== 'auto' && type !== 'any' && type !== 'tool' && type !== 'none') {
    invalidAnthropicRequest(
      "tool_choice.type: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
    );
  }
  if (type !== 'none' && toolNames.length === 0) {
    invalidAnthropicRequest('tool_choice: tool_choice may only be specified while providing tools.');
  }
  const forcesTool = type === 'any' || type === 'tool';
  if (forcesTool && isRecord(body.thinking) && body.thinking.type === 'enabled') {
    invalidAnthropicRequest('Thinking may not be enabled when tool_choice forces tool use.');
  }
  if (type !== 'tool' || !isRecord(choice)) return;
  if (typeof choice.name !== 'string') invalidAnthropicRequest('tool_choice.tool.name: Field required');
  if (!toolNames.includes(choice.name)) {
    invalidAnthropicRequest(`tool_choice.tool.name: Tool '${choice.name}' not found in the provided tools`);
  }
}

function checkContextWindow(body: Record<string, unknown>, maxTokens: number, window: number): void {
  const prompt = estimateInputTokens(body);
  if (prompt > window) invalidAnthropicRequest(`prompt is too long: ${prompt} tokens > ${window} maximum`);
  if (prompt + maxTokens > window) {
    invalidAnthropicRequest(
      `input length and \`max_tokens\` exceed context limit: ${prompt} + ${maxTokens} > ${window}, decrease input length or \`max_tokens\` and try again`,
    );
  }
}

export function estimateInputTokens(body: Record<string, unknown>): number {
  return estimateTokens(body.system) + estimateTokens(body.messages) + estimateTokens(body.tools);
}
