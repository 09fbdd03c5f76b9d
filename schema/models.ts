import { z } from 'zod';
import { JsonSchema, JsonValue } from './json.ts';
import { McpToolDescriptor } from './tools.ts';
import { Usage } from './usage.ts';

/**
 * Chat models as Swarmflow sees them: their configuration, the plain-JSON messages that travel
 * through Temporal's history between LLM turns, and the scripts of the offline scripted model.
 */

export const ToolCall = z.object({
  id: z.string().min(1),
  name: z.string().min(1).describe('the tool key the model saw (see toolKey)'),
  args: z.record(z.string(), JsonValue),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const SystemMessage = z.object({ role: z.literal('system'), text: z.string() });
export const UserMessage = z.object({ role: z.literal('user'), text: z.string() });
export const AssistantMessage = z.object({
  role: z.literal('assistant'),
  text: z.string(),
  toolCalls: z.array(ToolCall).default([]),
});
export type AssistantMessage = z.infer<typeof AssistantMessage>;
export const ToolMessage = z.object({
  role: z.literal('tool'),
  text: z.string(),
  toolCallId: z.string().min(1),
});

export const ChatMessage = z.discriminatedUnion('role', [
  SystemMessage,
  UserMessage,
  AssistantMessage,
  ToolMessage,
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A tool call in a script; its id defaults to one derived from the turn. */
export const ScriptToolCall = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  args: z.record(z.string(), JsonValue).default({}),
});

/**
 * One reply of the scripted model: text, a structured object (sent as its JSON text), or tool
 * calls (with optional text). With `match` (a regular expression, case-insensitive) the turn
 * answers whenever the last user or tool message matches; see ScriptedChatModel for the order.
 */
export const ScriptTurn = z
  .strictObject({
    match: z.string().min(1).refine(isRegExp, { message: 'is not a valid regular expression' }).optional(),
    text: z.string().optional(),
    object: JsonValue.optional(),
    toolCalls: z.array(ScriptToolCall).min(1).optional(),
  })
  .superRefine((turn, ctx) => {
    if (turn.text === undefined && turn.object === undefined && turn.toolCalls === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'a turn needs "text", "object" or "toolCalls"',
        path: ['text'],
      });
    }
    if (turn.object !== undefined && (turn.text !== undefined || turn.toolCalls !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: '"object" is the whole reply: drop "text" and "toolCalls"',
        path: ['object'],
      });
    }
  });
export type ScriptTurn = z.infer<typeof ScriptTurn>;
export type ScriptTurnInput = z.input<typeof ScriptTurn>;

/** A script file: `{ "turns": [...] }`. */
export const ScriptFile = z.strictObject({ turns: z.array(ScriptTurn).min(1) });

const generation = {
  fallbacks: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'configured models tried in order when this one is overloaded, unknown to its server, or failed fallbackAfter times',
    ),
  fallbackAfter: z
    .number()
    .int()
    .positive()
    .default(2)
    .describe('retryable failures of this model in one LLM turn before its fallbacks take over'),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('one request; Temporal retries, never the client'),
};

/** Any OpenAI-compatible endpoint: OpenAI itself, Ollama, vLLM, LM Studio... by base URL. */
export const OpenAiModelConfig = z.strictObject({
  provider: z.literal('openai'),
  model: z.string().min(1),
  baseURL: z.url().optional().describe('absent: api.openai.com'),
  apiKeyEnv: z
    .string()
    .min(1)
    .optional()
    .describe('environment variable holding the key; default OPENAI_API_KEY without baseURL, none with one'),
  api: z
    .enum(['chat', 'responses'])
    .default('chat')
    .describe('the endpoint: /chat/completions (every OpenAI-compatible server) or /responses (OpenAI only)'),
  structuredOutput: z
    .enum(['native', 'prompt'])
    .optional()
    .describe(
      'native: response_format json_schema (strict); prompt: the schema in the instructions. Default: native on OpenAI, prompt with a baseURL',
    ),
  ...generation,
});
export const AnthropicModelConfig = z.strictObject({
  provider: z.literal('anthropic'),
  model: z.string().min(1),
  baseURL: z.url().optional(),
  apiKeyEnv: z.string().min(1).default('ANTHROPIC_API_KEY'),
  structuredOutput: z
    .enum(['native', 'prompt'])
    .default('native')
    .describe('native: a forced tool call whose input is the answer; prompt: the schema in the instructions'),
  ...generation,
});
/** The offline provider: replies from a script file (relative to the config file) or inline turns. */
export const ScriptedModelConfig = z
  .strictObject({
    provider: z.literal('scripted'),
    fallbacks: generation.fallbacks,
    fallbackAfter: generation.fallbackAfter,
    script: z.string().min(1).optional().describe('a JSON script file: { "turns": [...] }'),
    turns: z.array(ScriptTurn).min(1).optional(),
  })
  .refine((config) => (config.script === undefined) !== (config.turns === undefined), {
    message: 'give exactly one of "script" (a file) or "turns"',
    path: ['script'],
  });

export const ModelConfig = z.discriminatedUnion('provider', [
  OpenAiModelConfig,
  AnthropicModelConfig,
  ScriptedModelConfig,
]);
export type ModelConfig = z.infer<typeof ModelConfig>;

/** The input of one LLM turn: the conversation so far, the tools the model may call, the answer's schema. */
export const LlmTurnRequest = z.object({
  model: z.string().min(1).optional().describe('a configured model name; absent: the default model'),
  messages: z.array(ChatMessage).min(1),
  tools: z.array(McpToolDescriptor).default([]),
  outputSchema: JsonSchema.optional(),
});
export type LlmTurnRequest = z.infer<typeof LlmTurnRequest>;
export type LlmTurnRequestInput = z.input<typeof LlmTurnRequest>;

/** A final answer checked against the output schema; when invalid, `feedback` is the message to send back. */
export const StructuredOutput = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true), value: JsonValue }),
  z.object({ valid: z.literal(false), problems: z.array(z.string()).min(1), feedback: UserMessage }),
]);
export type StructuredOutput = z.infer<typeof StructuredOutput>;

export const TokenUsage = z.object({ inputTokens: z.number(), outputTokens: z.number() });
export type TokenUsage = z.infer<typeof TokenUsage>;

/**
 * How a turn asked for structured output: `json_schema` (OpenAI's response_format, strict when
 * the schema allows), `tool` (a forced tool call whose input is the answer: Anthropic), or
 * `prompt` (the schema in the instructions, for servers with neither, and for turns with tools).
 */
export const StructuredOutputMethod = z.enum(['json_schema', 'tool', 'prompt']);
export type StructuredOutputMethod = z.infer<typeof StructuredOutputMethod>;

/** One turn's reply. `output` is present when an output schema was given and the reply calls no tool. */
export const LlmTurnResult = z.object({
  message: AssistantMessage,
  usage: TokenUsage,
  durationMs: z.number(),
  output: StructuredOutput.optional(),
  structuredOutput: StructuredOutputMethod.optional().describe('how the output schema was asked for'),
});
export type LlmTurnResult = z.infer<typeof LlmTurnResult>;

/** The LLM turn activity's result: the turn, which model ran it, and its metered usage (credits included). */
export const LlmTurnOutcome = LlmTurnResult.extend({ model: z.string(), usage: Usage });
export type LlmTurnOutcome = z.infer<typeof LlmTurnOutcome>;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}
