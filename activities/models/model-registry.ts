import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import type { StructuredOutputMethod } from '../../schema/models.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { createChatModel, modelEndpoint, structuredOutputMethod, toolTarget } from './create-chat-model.ts';
import type { ProviderTarget } from './tool-schemas/index.ts';

export interface ResolvedModel {
  name: string;
  model: BaseChatModel;
  /** The dependency its circuit breaker guards. */
  endpoint: string;
  /** How a turn without tools asks for an output schema. */
  structuredOutput: StructuredOutputMethod;
  /** What its provider accepts of tool schemas. */
  toolTarget: ProviderTarget;
  /** Configured models to try, in order, when this one fails (see ModelConfig's fallbacks). */
  fallbacks: string[];
  /** Retryable failures of this model in one turn before its fallbacks take over. */
  fallbackAfter: number;
  /** The configured provider (openai, anthropic, scripted), for the GenAI spans. */
  provider?: string;
  /** The provider's model id (`gpt-4o`), for the GenAI spans; absent for the scripted provider. */
  modelId?: string;
}

/** The configured models of one worker, each made on first use and kept. */
export class ModelRegistry {
  private readonly resolved = new Map<string, ResolvedModel>();

  constructor(
    private readonly config: Pick<DeploymentConfig, 'models' | 'defaultModel'>,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The model called `name`, or the default model. */
  resolve(name: string | undefined = this.config.defaultModel): ResolvedModel {
    if (name === undefined) throw new ConfigurationError('no model named and no "defaultModel" configured');
    const cached = this.resolved.get(name);
    if (cached) return cached;
    const config = this.config.models[name];
    if (!config) {
      const known = Object.keys(this.config.models).join(', ') || 'none';
      throw new ConfigurationError(`unknown model "${name}"; configured models: ${known}`);
    }
    const model = {
      name,
      model: createChatModel(config, { name, env: this.env }),
      endpoint: modelEndpoint(config, name),
      structuredOutput: structuredOutputMethod(config),
      toolTarget: toolTarget(config),
      fallbacks: config.fallbacks,
      fallbackAfter: config.fallbackAfter,
      provider: config.provider,
      ...('model' in config ? { modelId: config.model } : {}),
    };
    this.resolved.set(name, model);
    return model;
  }
}
