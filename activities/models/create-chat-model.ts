import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { ModelConfig } from '../../schema/models.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { readScriptFile } from './script-file.ts';
import { ScriptedChatModel } from './scripted-chat-model.ts';

type OpenAiConfig = Extract<ModelConfig, { provider: 'openai' }>;
type AnthropicConfig = Extract<ModelConfig, { provider: 'anthropic' }>;

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
 */
export function createChatModel(config: ModelConfig, context: ModelContext): BaseChatModel {
  switch (config.provider) {
    case 'openai':
      return openAiModel(config, context);
    case 'anthropic':
      return anthropicModel(config, context);
    case 'scripted':
      return new ScriptedChatModel({ turns: config.turns ?? readScriptFile(config.script ?? '') });
  }
}

/** The dependency a model's circuit breaker guards: its provider and endpoint, shared by models on it. */
export function modelEndpoint(config: ModelConfig, name: string): string {
  switch (config.provider) {
    case 'openai':
      return `model openai ${config.baseURL ?? 'https://api.openai.com/v1'}`;
    case 'anthropic':
      return `model anthropic ${config.baseURL ?? 'https://api.anthropic.com'}`;
    case 'scripted':
      return `model scripted ${name}`;
  }
}

function openAiModel(config: OpenAiConfig, context: ModelContext): ChatOpenAI {
  const keyEnv = config.apiKeyEnv ?? (config.baseURL ? undefined : 'OPENAI_API_KEY');
  return new ChatOpenAI({
    model: config.model,
    apiKey: keyEnv ? requiredEnv(keyEnv, context) : NO_KEY,
    ...(config.baseURL ? { configuration: { baseURL: config.baseURL } } : {}),
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    timeout: config.timeoutMs,
    maxRetries: 0,
  });
}

function anthropicModel(config: AnthropicConfig, context: ModelContext): ChatAnthropic {
  return new ChatAnthropic({
    model: config.model,
    apiKey: requiredEnv(config.apiKeyEnv, context),
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
