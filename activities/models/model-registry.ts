import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { DeploymentConfig } from '../../schema/deployment-config.ts';
import { ConfigurationError } from '../resilience/errors.ts';
import { createChatModel, modelEndpoint } from './create-chat-model.ts';

export interface ResolvedModel {
  name: string;
  model: BaseChatModel;
  /** The dependency its circuit breaker guards. */
  endpoint: string;
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
    };
    this.resolved.set(name, model);
    return model;
  }
}
