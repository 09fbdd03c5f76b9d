import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAICompletions, ChatOpenAIResponses } from '@langchain/openai';
import type { z } from 'zod';
import type { ModelConfig, StructuredOutputMethod } from '../../schema/models.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { readScriptFile } from './script-file.ts';
import { ScriptedChatModel } from './scripted-chat-model.ts';
import type { ProviderTarget } from './tool-schemas/index.ts';

/** A model's configuration as written: defaults may be absent. */
export type ModelConfigInput = z.input<typeof ModelConfig>;
type OpenAiConfig = Extract<ModelConfigInput, { provider: 'openai' }>;
type AnthropicConfig = Extract<ModelConfigInput, { provider: 'anthropic' }>;

export interface ModelContext {
  /** The configured name, for error messages. */
  name: string;
  env: NodeJS.ProcessEnv;
}

/** Key sent to OpenAI-compatible servers that need none (Ollama, vLLM, LM Studio): they ignore it. */
const NO_KEY = 'not-needed';

/**
 * The LangChain chat model a configuration describes. Client-side retries are off
 * (`maxRetries: 0`): Temporal retries the activity, with the errors classified.
 * @throws ConfigurationError when the model's API key variable is not set.
 */
export function createChatModel(config: ModelConfigInput, context: ModelContext): BaseChatModel {
  switch (config.provider) {
    case 'openai':
      return openAiModel(config, context);
    case 'anthropic':
      return anthropicModel(config, context);
    case 'scripted':
      return new ScriptedChatModel({ turns: config.turns ?? readScriptFile(config.script ?? '') });
  }
}

/**
 * How a turn without tools asks the model for an output schema: OpenAI's response_format
 * json_schema (not assumed of other OpenAI-compatible servers unless configured), Anthropic's
 * forced tool call, or instructions in the prompt.
 */
export function structuredOutputMethod(config: ModelConfigInput): StructuredOutputMethod {
  switch (config.provider) {
    case 'openai':
      return (config.structuredOutput ?? (config.baseURL ? 'prompt' : 'native')) === 'native'
        ? 'json_schema'
        : 'prompt';
    case 'anthropic':
      return (config.structuredOutput ?? 'native') === 'native' ? 'tool' : 'prompt';
    case 'scripted':
      return 'prompt';
  }
}

/**
 * What a model's provider takes of tool schemas: OpenAI itself gets strict schemas where they can
 * be made so; OpenAI-compatible servers (whose strict support varies) and the scripted model get
 * OpenAI's plain rules; Anthropic its own.
 */
export function toolTarget(config: ModelConfigInput): ProviderTarget {
  if (config.provider === 'anthropic') return { provider: 'anthropic' };
  return { provider: 'openai', strict: config.provider === 'openai' && config.baseURL === undefined };
}

/** The dependency a model's circuit breaker guards: its provider and endpoint, shared by models on it. */
export function modelEndpoint(config: ModelConfigInput, name: string): string {
  switch (config.provider) {
    case 'openai':
      return `model openai ${config.baseURL ?? 'https://api.openai.com/v1'}`;
    case 'anthropic':
      return `model anthropic ${config.baseURL ?? 'https://api.anthropic.com'}`;
    case 'scripted':
      return `model scripted ${name}`;
  }
}

/**
 * The endpoint is the configuration's `api`, never LangChain's guess from the model name (which
 * sends some names to /responses, an endpoint OpenAI-compatible servers do not have).
 */
function openAiModel(config: OpenAiConfig, context: ModelContext): BaseChatModel {
  const keyEnv = config.apiKeyEnv ?? (config.baseURL ? undefined : 'OPENAI_API_KEY');
  const fields = {
    model: config.model,
    apiKey: keyEnv ? requiredEnv(keyEnv, context) : NO_KEY,
    ...(config.baseURL ? { configuration: { baseURL: config.baseURL } } : {}),
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    timeout: config.timeoutMs,
    maxRetries: 0,
  };
  return config.api === 'responses' ? new ChatOpenAIResponses(fields) : new ChatOpenAICompletions(fields);
}

function anthropicModel(config: AnthropicConfig, context: ModelContext): ChatAnthropic {
  return new ChatAnthropic({
    model: config.model,
    apiKey: requiredEnv(config.apiKeyEnv ?? 'ANTHROPIC_API_KEY', context),
    ...(config.baseURL ? { anthropicApiUrl: config.baseURL } : {}),
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    ...(config.timeoutMs ? { clientOptions: { timeout: config.timeoutMs } } : {}),
    maxRetries: 0,
  });
}

function requiredEnv(variable: string, { name, env }: ModelContext): string {
  const value = env[variable];
  if (value) return value;
  throw new ConfigurationError(
    `model "${name}" needs its API key in the environment variable ${variable}, which is not set`,
  );
}
